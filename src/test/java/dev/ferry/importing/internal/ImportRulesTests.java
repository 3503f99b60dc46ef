package dev.ferry.importing.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.rowset.serial.SerialClob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.plan.spec.ColumnRule.Type;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.Normalization;
import dev.ferry.importing.internal.ImportRules.Outcome;
import dev.ferry.importing.internal.ImportRules.Rejection;
import dev.ferry.support.TableText;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The value rules of an import, table by table. In the CSV tables an expected value is
 * the canonical text of the value ({@link ImportRules#text}), {@code NULL} for no value,
 * or {@code rejected: <rule>}; invisible characters are written as {@code {tab}},
 * {@code {nl}}, {@code {nbsp}} or {@code {U+XXXX}}.
 */
class ImportRulesTests {

	private static final String REJECTED = "rejected: ";

	@ParameterizedTest(name = "{0} {1}: \"{2}\" -> {3}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL",
			textBlock = """
					# type  | format             | input                          | expected
					integer |                    | +12                            | 12
					integer |                    | -0                             | 0
					integer |                    | " 42 "                         | 42
					integer |                    | {tab}7{nbsp}                   | 7
					integer |                    | {U+202F}-15{U+2007}{nl}        | -15
					integer |                    | {U+200B}3{U+FEFF}              | 3
					integer |                    | 9223372036854775807            | 9223372036854775807
					integer |                    | -9223372036854775808           | -9223372036854775808
					integer |                    | 9223372036854775808            | rejected: type integer
					integer |                    | -9223372036854775809           | rejected: type integer
					integer |                    | 12.0                           | rejected: type integer
					integer |                    | 1e3                            | rejected: type integer
					integer |                    | 1,000                          | rejected: type integer
					integer |                    | "1 000"                        | rejected: type integer
					integer |                    | 19x5                           | rejected: type integer
					integer |                    | ""                             | rejected: type integer
					integer |                    | "   "                          | rejected: type integer
					integer |                    | +                              | rejected: type integer
					integer |                    | --1                            | rejected: type integer
					integer |                    | 0x1F                           | rejected: type integer
					integer |                    | {U+0661}{U+0662}               | rejected: type integer
					decimal |                    | 1.50                           | 1.5
					decimal |                    | -0.25                          | -0.25
					decimal |                    | +3                             | 3
					decimal |                    | .5                             | 0.5
					decimal |                    | 5.                             | 5
					decimal |                    | " 2.75{tab}"                   | 2.75
					decimal |                    | 0.000                          | 0
					decimal |                    | 123456789012345678901234567890.123 | 123456789012345678901234567890.123
					decimal |                    | 1e3                            | rejected: type decimal
					decimal |                    | 1,5                            | rejected: type decimal
					decimal |                    | 1.2.3                          | rejected: type decimal
					decimal |                    | .                              | rejected: type decimal
					decimal |                    | -                              | rejected: type decimal
					decimal |                    | ""                             | rejected: type decimal
					decimal |                    | NaN                            | rejected: type decimal
					decimal |                    | abc                            | rejected: type decimal
					boolean |                    | TRUE                           | true
					boolean |                    | true                           | true
					boolean |                    | False                          | false
					boolean |                    | Yes                            | true
					boolean |                    | NO                             | false
					boolean |                    | y                              | true
					boolean |                    | Y                              | true
					boolean |                    | N                              | false
					boolean |                    | n                              | false
					boolean |                    | 1                              | true
					boolean |                    | 0                              | false
					boolean |                    | " yes "                        | true
					boolean |                    | {tab}No{nbsp}                  | false
					boolean |                    | maybe                          | rejected: type boolean
					boolean |                    | 2                              | rejected: type boolean
					boolean |                    | -1                             | rejected: type boolean
					boolean |                    | t                              | rejected: type boolean
					boolean |                    | f                              | rejected: type boolean
					boolean |                    | ""                             | rejected: type boolean
					boolean |                    | oui                            | rejected: type boolean
					boolean |                    | 01                             | rejected: type boolean
					boolean |                    | "y e s"                        | rejected: type boolean
					date    |                    | 2024-02-29                     | 2024-02-29
					date    |                    | " 1999-12-31{nbsp}"            | 1999-12-31
					date    |                    | 2023-02-29                     | rejected: type date
					date    |                    | 2023-02-30                     | rejected: type date
					date    |                    | 2023-13-01                     | rejected: type date
					date    |                    | 2023-1-5                       | rejected: type date
					date    |                    | 31/12/1999                     | rejected: type date
					date    |                    | 1999-12-31T00:00               | rejected: type date
					date    |                    | ""                             | rejected: type date
					date    | dd/MM/yyyy         | 31/12/1999                     | 1999-12-31
					date    | dd/MM/yyyy         | 29/02/2024                     | 2024-02-29
					date    | dd/MM/yyyy         | " 01/01/2000 "                 | 2000-01-01
					date    | dd/MM/yyyy         | 29/02/2023                     | rejected: type date (format dd/MM/yyyy)
					date    | dd/MM/yyyy         | 31/02/1990                     | rejected: type date (format dd/MM/yyyy)
					date    | dd/MM/yyyy         | 12/31/1999                     | rejected: type date (format dd/MM/yyyy)
					date    | dd/MM/yyyy         | 1999-12-31                     | rejected: type date (format dd/MM/yyyy)
					date    | dd.MM.yyyy         | 01.05.2020                     | 2020-05-01
					date    | dd.MM.yyyy         | 1.5.2020                       | rejected: type date (format dd.MM.yyyy)
					date    | d.M.yyyy           | 1.5.2020                       | 2020-05-01
					date    | MMM d, yyyy        | Jan 5, 2024                    | 2024-01-05
					date    | MMM d, yyyy        | JAN 5, 2024                    | 2024-01-05
					date    | MMM d, yyyy        | Feb 30, 2024                   | rejected: type date (format MMM d, yyyy)
					date    | MMM d, yyyy        | Janv 5, 2024                   | rejected: type date (format MMM d, yyyy)
					date    | uuuu-MM-dd         | 2024-02-29                     | 2024-02-29
					date    | yyyyMMdd           | 20240229                       | 2024-02-29
					date    | yyyyMMdd           | 20230229                       | rejected: type date (format yyyyMMdd)
					timestamp |                  | 2024-03-01T10:15:30            | 2024-03-01T10:15:30
					timestamp |                  | 2024-03-01 10:15:30            | 2024-03-01T10:15:30
					timestamp |                  | 2024-03-01 10:15               | 2024-03-01T10:15:00
					timestamp |                  | 2024-03-01T10:15:30.250        | 2024-03-01T10:15:30.25
					timestamp |                  | 2024-03-01 10:15:30.123456789  | 2024-03-01T10:15:30.123456789
					timestamp |                  | " 2024-03-01t10:15:30{tab}"    | 2024-03-01T10:15:30
					timestamp |                  | 2024-03-01                     | rejected: type timestamp
					timestamp |                  | 2024-03-01T25:00               | rejected: type timestamp
					timestamp |                  | 2023-02-29 10:00               | rejected: type timestamp
					timestamp |                  | "2024-03-01  10:15"            | rejected: type timestamp
					timestamp |                  | 01/03/2024 10:15               | rejected: type timestamp
					timestamp | dd/MM/yyyy HH:mm   | 31/12/1999 23:59               | 1999-12-31T23:59:00
					timestamp | dd/MM/yyyy HH:mm   | 31/12/1999 24:00               | rejected: type timestamp (format dd/MM/yyyy HH:mm)
					timestamp | dd/MM/yyyy HH:mm   | 2024-03-01 10:15               | rejected: type timestamp (format dd/MM/yyyy HH:mm)
					timestamp | dd/MM/yyyy hh:mm a | 31/12/1999 11:30 pm            | 1999-12-31T23:30:00
					timestamp | dd/MM/yyyy         | 31/12/1999                     | 1999-12-31T00:00:00
					string    |                  | " as is "                      | " as is "
					string    |                  | ""                             | ""
					""")
	void convertsText(String type, String format, String input, String expected) {
		ColumnRule rule = new ColumnRule("v", type(type), format, List.of(), List.of(), false, null);

		assertOutcome(applyOne(rule, TableText.decode(input)), rule.type(), expected);
	}

	@ParameterizedTest(name = "normalize [{0}] null-if [{1}]: \"{2}\" -> {3}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL", textBlock = """
			# normalize                     | null-if (; between) | input                        | expected
			trim                            |                     | " Daylily "                  | Daylily
			trim,collapse-spaces            |                     | "{nbsp}Stella{tab}de {nl} Oro " | Stella de Oro
			collapse-spaces                 |                     | " a  b "                     | " a b "
			trim,upper                      | ;N/A;UNKNOWN        | " n/a "                      | NULL
			trim,upper                      | ;N/A;UNKNOWN        | "  {nbsp}"                   | NULL
			trim,upper                      | ;N/A;UNKNOWN        | unknown                      | NULL
			trim,upper                      | ;N/A;UNKNOWN        | Stout                        | STOUT
			upper                           | n/a                 | N/A                          | NULL
			upper                           | n/a                 | n/a                          | NULL
			lower                           | N/A                 | n/a                          | NULL
			""                              | N/A                 | n/a                          | n/a
			""                              | N/A                 | N/A                          | NULL
			""                              | N/A                 | " N/A "                      | " N/A "
			trim                            | N/A                 | {tab}N/A{nbsp}               | NULL
			""                              | ""                  | ""                           | NULL
			""                              |                     | ""                           | ""
			strip-accents,lower             | néant               | NÉANT                        | NULL
			strip-accents,lower             | néant               | Néants                       | neants
			upper,strip-accents             |                     | crème brûlée                 | CREME BRULEE
			strip-accents,upper             |                     | straße                       | STRASSE
			title-case                      |                     | o'brien-smith                | O'Brien-Smith
			strip-accents,title-case        |                     | ÆSIR                         | Aesir
			title-case,strip-accents        |                     | ÆSIR                         | AEsir
			strip-accents                   |                     | e{U+0301}lan Łódź Øre        | elan Lodz Ore
			trim,collapse-spaces,lower,strip-accents |            | " Łódź {nbsp} Fabryczna "    | lodz fabryczna
			""")
	void normalizesThenAppliesNullIf(String normalize, String nullIf, String input, String expected) {
		ColumnRule rule = new ColumnRule("v", Type.STRING, null, steps(normalize), nullIfEntries(nullIf), false, null);

		assertOutcome(applyOne(rule, TableText.decode(input)), Type.STRING, expected);
	}

	@ParameterizedTest(name = "{0} null-if [{2}] required {3} default {4}: {5} -> {6}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL",
			textBlock = """
					# type    | format     | null-if    | required | default              | input      | expected
					string    |            |            | true     |                      | NULL       | rejected: required
					string    |            |            | true     | x                    | NULL       | x
					string    |            |            | false    | x                    | NULL       | x
					string    |            |            | false    |                      | NULL       | NULL
					string    |            |            | true     |                      | ""         | ""
					string    |            | ""         | true     |                      | ""         | rejected: required
					string    |            | ""         | false    | none                 | ""         | none
					string    |            | ""         | true     | none                 | " "        | " "
					string    |            | ""         | true     | " kept as written "  | ""         | " kept as written "
					string    |            |            | false    | x                    | value      | value
					integer   |            | ""         | false    |                      | ""         | NULL
					integer   |            |            | false    |                      | ""         | rejected: type integer
					integer   |            | ""         | true     |                      | ""         | rejected: required
					integer   |            |            | false    | 0                    | NULL       | 0
					integer   |            |            | true     | 0                    | NULL       | 0
					integer   |            | -1         | false    | 0                    | -1         | 0
					integer   |            |            | false    | abc                  | NULL       | rejected: default
					integer   |            |            | true     | 99999999999999999999 | NULL       | rejected: default
					integer   |            |            | false    | abc                  | 5          | 5
					decimal   |            |            | false    | 1e3                  | NULL       | 1000
					decimal   |            |            | false    | 2.50                 | NULL       | 2.5
					boolean   |            |            | true     | no                   | NULL       | false
					boolean   |            |            | false    | Y                    | NULL       | true
					boolean   |            | ?          | true     |                      | ?          | rejected: required
					boolean   |            |            | false    | maybe                | NULL       | rejected: default
					date      |            |            | false    | 1970-01-01           | NULL       | 1970-01-01
					date      | dd/MM/yyyy |            | false    | 01/01/1900           | NULL       | 1900-01-01
					date      | dd/MM/yyyy |            | false    | 1900-01-01           | NULL       | 1900-01-01
					date      | dd/MM/yyyy |            | false    | tomorrow             | NULL       | rejected: default
					date      |            | 1900-01-01 | false    |                      | 1900-01-01 | NULL
					timestamp |            |            | false    | 2000-01-01 00:00     | NULL       | 2000-01-01T00:00:00
					timestamp |            | 0000-00-00 00:00:00 | true |                 | 0000-00-00 00:00:00 | rejected: required
					""")
	void fillsNullsWithTheDefaultAndRejectsMissingRequiredValues(String type, String format, String nullIf,
			boolean required, String defaultValue, String input, String expected) {
		ColumnRule rule = new ColumnRule("v", type(type), format, List.of(), nullIfEntries(nullIf), required,
				defaultValue);

		assertOutcome(applyOne(rule, TableText.decode(input)), rule.type(), expected);
	}

	static Stream<Arguments> jdbcValues() {
		ColumnRule trimmedInteger = new ColumnRule("v", Type.INTEGER, null, List.of(Normalization.TRIM), List.of(),
				false, null);
		ColumnRule zeroIsNull = new ColumnRule("v", Type.INTEGER, null, List.of(), List.of("0"), false, null);
		ColumnRule trimmedString = new ColumnRule("v", Type.STRING, null, List.of(Normalization.TRIM), List.of(), false,
				null);
		ColumnRule formattedDate = new ColumnRule("v", Type.DATE, "dd/MM/yyyy", List.of(), List.of(), false, null);
		return Stream.of(arguments(rule(Type.INTEGER), 7, 7L), arguments(rule(Type.INTEGER), 7L, 7L),
				arguments(rule(Type.INTEGER), (short) 3, 3L), arguments(rule(Type.INTEGER), (byte) -2, -2L),
				arguments(rule(Type.INTEGER), BigInteger.valueOf(Long.MAX_VALUE), Long.MAX_VALUE),
				arguments(rule(Type.INTEGER), BigInteger.ONE.shiftLeft(63), REJECTED + "type integer"),
				arguments(rule(Type.INTEGER), new BigDecimal("42.000"), 42L),
				arguments(rule(Type.INTEGER), new BigDecimal("42.5"), REJECTED + "type integer"),
				arguments(rule(Type.INTEGER), new BigDecimal("1E+30"), REJECTED + "type integer"),
				arguments(rule(Type.INTEGER), 3.0d, 3L), arguments(rule(Type.INTEGER), 3.5d, REJECTED + "type integer"),
				arguments(rule(Type.INTEGER), -0.0d, 0L), arguments(rule(Type.INTEGER), 3.0f, 3L),
				arguments(rule(Type.INTEGER), Double.NaN, REJECTED + "type integer"),
				arguments(rule(Type.INTEGER), 1e19d, REJECTED + "type integer"),
				arguments(rule(Type.INTEGER), "12".getBytes(StandardCharsets.UTF_8), 12L),
				arguments(rule(Type.INTEGER), Boolean.TRUE, REJECTED + "type integer"),
				arguments(trimmedInteger, 3.0d, 3L), arguments(trimmedInteger, 1234567L, 1234567L),
				arguments(zeroIsNull, 0, null), arguments(zeroIsNull, 0L, null), arguments(zeroIsNull, 10, 10L),
				arguments(rule(Type.DECIMAL), 0.1d, new BigDecimal("0.1")),
				arguments(rule(Type.DECIMAL), 5, BigDecimal.valueOf(5)),
				arguments(rule(Type.DECIMAL), new BigDecimal("1.50"), new BigDecimal("1.50")),
				arguments(rule(Type.DECIMAL), BigInteger.TEN.pow(20), new BigDecimal("100000000000000000000")),
				arguments(rule(Type.DECIMAL), Double.POSITIVE_INFINITY, REJECTED + "type decimal"),
				arguments(rule(Type.BOOLEAN), Boolean.TRUE, true), arguments(rule(Type.BOOLEAN), Boolean.FALSE, false),
				arguments(rule(Type.BOOLEAN), 1, true), arguments(rule(Type.BOOLEAN), 0L, false),
				arguments(rule(Type.BOOLEAN), new BigDecimal("1.0"), true), arguments(rule(Type.BOOLEAN), 0.0d, false),
				arguments(rule(Type.BOOLEAN), 2, REJECTED + "type boolean"),
				arguments(rule(Type.BOOLEAN), -1, REJECTED + "type boolean"),
				arguments(rule(Type.BOOLEAN), 0.5d, REJECTED + "type boolean"),
				arguments(rule(Type.DATE), java.sql.Date.valueOf("2024-02-29"), LocalDate.of(2024, 2, 29)),
				arguments(formattedDate, java.sql.Date.valueOf("2024-02-29"), LocalDate.of(2024, 2, 29)),
				arguments(rule(Type.DATE), LocalDate.of(1999, 12, 31), LocalDate.of(1999, 12, 31)),
				arguments(rule(Type.DATE), Timestamp.valueOf("2024-02-29 13:45:00"), LocalDate.of(2024, 2, 29)),
				arguments(rule(Type.DATE), LocalDateTime.of(2024, 2, 29, 23, 59), LocalDate.of(2024, 2, 29)),
				arguments(rule(Type.DATE), 20240229, REJECTED + "type date"),
				arguments(rule(Type.TIMESTAMP), Timestamp.valueOf("2024-03-01 10:15:30.5"),
						LocalDateTime.of(2024, 3, 1, 10, 15, 30, 500_000_000)),
				arguments(rule(Type.TIMESTAMP), LocalDateTime.of(2024, 3, 1, 10, 15),
						LocalDateTime.of(2024, 3, 1, 10, 15)),
				arguments(rule(Type.TIMESTAMP), OffsetDateTime.of(2024, 3, 1, 10, 15, 0, 0, ZoneOffset.ofHours(2)),
						LocalDateTime.of(2024, 3, 1, 10, 15)),
				arguments(rule(Type.TIMESTAMP), java.sql.Date.valueOf("2024-03-01"),
						LocalDateTime.of(2024, 3, 1, 0, 0)),
				arguments(rule(Type.STRING), 42, "42"), arguments(rule(Type.STRING), 3.0d, "3"),
				arguments(rule(Type.STRING), 2.5d, "2.5"), arguments(rule(Type.STRING), new BigDecimal("1.50"), "1.50"),
				arguments(rule(Type.STRING), "Łódź".getBytes(StandardCharsets.UTF_8), "Łódź"),
				arguments(rule(Type.STRING), Boolean.TRUE, "true"),
				arguments(rule(Type.STRING), java.sql.Date.valueOf("2024-02-29"), "2024-02-29"),
				arguments(rule(Type.STRING), Timestamp.valueOf("2024-03-01 10:15:30"), "2024-03-01T10:15:30"),
				arguments(trimmedString, 42L, "42"));
	}

	@ParameterizedTest(name = "{0}: {1} -> {2}")
	@MethodSource
	void jdbcValues(ColumnRule rule, Object raw, Object expected) {
		Outcome outcome = applyOne(rule, raw);

		if (expected instanceof String text && text.startsWith(REJECTED)) {
			assertThat(outcome.rejections()).extracting(Rejection::rule)
				.containsExactly(text.substring(REJECTED.length()));
			assertThat(outcome.values()[0]).isNull();
		}
		else {
			assertThat(outcome.rejections()).isEmpty();
			assertThat(outcome.values()[0]).isEqualTo(expected);
			if (expected != null) {
				assertThat(outcome.values()[0]).isExactlyInstanceOf(canonicalClass(rule.type()));
			}
		}
	}

	@ParameterizedTest(name = "{0}: \"{3}\" -> {5}")
	@CsvSource(delimiter = '|', quoteCharacter = '\'',
			textBlock = """
					# column | type      | format           | input                | value                | message
					year     | integer   |                  | 19x5                 | 19x5                 | year: "19x5" is not an integer.
					year     | integer   |                  | ' 19x5 '             | ' 19x5 '             | year: " 19x5 " is not an integer.
					id       | integer   |                  | 9223372036854775808  | 9223372036854775808  | id: "9223372036854775808" is out of the integer range (-9223372036854775808 to 9223372036854775807).
					price    | decimal   |                  | 1e3                  | 1e3                  | price: "1e3" is not a decimal number.
					fragrant | boolean   |                  | maybe                | maybe                | fragrant: "maybe" is not a boolean (true/false, yes/no, y/n, 1/0).
					born     | date      | dd/MM/yyyy       | 31/02/1990           | 31/02/1990           | born: "31/02/1990" is not a date in the format dd/MM/yyyy.
					born     | date      |                  | 1990-02-31           | 1990-02-31           | born: "1990-02-31" is not a date in the format yyyy-MM-dd.
					seen     | timestamp |                  | yesterday            | yesterday            | seen: "yesterday" is not a timestamp (yyyy-MM-ddTHH:mm:ss or yyyy-MM-dd HH:mm:ss).
					seen     | timestamp | dd/MM/yyyy HH:mm | yesterday            | yesterday            | seen: "yesterday" is not a timestamp in the format dd/MM/yyyy HH:mm.
					""")
	void aRejectionNamesTheColumnTheValueAndTheRule(String column, String type, String format, String input,
			String value, String message) {
		ColumnRule rule = new ColumnRule(column, type(type), format, List.of(), List.of(), false, null);
		ImportRules rules = ImportRules.of(phase(List.of(), Map.of(column, rule)));

		assertThat(rules.apply((index) -> input).rejections()).singleElement().satisfies((rejection) -> {
			assertThat(rejection.column()).isEqualTo(column);
			assertThat(rejection.value()).isEqualTo(value);
			assertThat(rejection.message()).isEqualTo(message);
		});
	}

	@Test
	void theRejectedValueIsTheNormalizedText() {
		ColumnRule rule = new ColumnRule("year", Type.INTEGER, null, List.of(Normalization.TRIM, Normalization.UPPER),
				List.of(), false, null);

		Rejection rejection = applyOne(rule, TableText.decode(" 19x5{nbsp}")).rejections().get(0);

		assertThat(rejection.value()).isEqualTo("19X5");
		assertThat(rejection.message()).isEqualTo("year: \"19X5\" is not an integer.");
	}

	@Test
	void requiredAndDefaultRejectionsSaySoInASentence() {
		ColumnRule name = new ColumnRule("name", Type.STRING, null, List.of(Normalization.TRIM), List.of("N/A"), true,
				null);
		ColumnRule born = new ColumnRule("born", Type.DATE, "dd/MM/yyyy", List.of(), List.of(), false, "tomorrow");

		assertThat(applyOne(name, null).rejections()).singleElement()
			.isEqualTo(new Rejection("name", null, "required", "name: no value, and the column is required."));
		assertThat(applyOne(name, " N/A ").rejections()).singleElement()
			.isEqualTo(new Rejection("name", "N/A", "required",
					"name: \"N/A\" means no value (null-if), and the column is required."));
		assertThat(applyOne(born, null).rejections()).singleElement()
			.isEqualTo(new Rejection("born", "tomorrow", "default",
					"born: no value, and the default \"tomorrow\" is not a date in the format dd/MM/yyyy."));
	}

	@Test
	void aRowReportsEveryRejectionAndKeepsItsGoodValues() {
		Map<String, ColumnRule> columns = new LinkedHashMap<>();
		columns.put("id", rule("id", Type.INTEGER));
		columns.put("name",
				new ColumnRule("name", Type.STRING, null, List.of(Normalization.TRIM), List.of(), true, null));
		columns.put("hybridizer", new ColumnRule("hybridizer", Type.STRING, null,
				List.of(Normalization.TRIM, Normalization.UPPER), List.of("", "N/A", "UNKNOWN"), false, null));
		columns.put("year", new ColumnRule("year", Type.INTEGER, null, List.of(), List.of(""), false, null));
		columns.put("fragrant", new ColumnRule("fragrance", Type.BOOLEAN, null, List.of(), List.of(), false, null));
		ImportRules rules = ImportRules.of(phase(List.of("id"), columns));
		Object[] source = { "x1", null, " stout ", "19x5", "maybe" };

		Outcome outcome = rules.apply((index) -> source[index]);

		assertThat(outcome.rejected()).isTrue();
		assertThat(outcome.rejections()).extracting(Rejection::column, Rejection::rule)
			.containsExactly(tuple("id", "type integer"), tuple("name", "required"), tuple("year", "type integer"),
					tuple("fragrant", "type boolean"));
		assertThat(outcome.values()).containsExactly(null, null, "STOUT", null, null);
	}

	@Test
	void aGoodRowHasNoRejections() {
		Map<String, ColumnRule> columns = new LinkedHashMap<>();
		columns.put("id", rule("id", Type.INTEGER));
		columns.put("name", rule("name", Type.STRING));
		columns.put("fragrant", new ColumnRule("fragrance", Type.BOOLEAN, null, List.of(), List.of(), false, null));
		ImportRules rules = ImportRules.of(phase(List.of("id"), columns));
		Object[] source = { 12, "Stella de Oro", "Y" };

		Outcome outcome = rules.apply((index) -> source[index]);

		assertThat(outcome.rejected()).isFalse();
		assertThat(outcome.rejections()).isEmpty();
		assertThat(outcome.values()).containsExactly(12L, "Stella de Oro", true);
	}

	@ParameterizedTest(name = "region {0}, id {1} -> {2}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL", textBlock = """
			# region | id   | rejections (column:rule, comma between)
			EU       | 1    | ""
			" eu "   | 1    | ""
			""       | 1    | region:key
			"  "     | 1    | region:key
			NULL     | 1    | region:key
			EU       | NULL | id:key
			EU       | ""   | id:key
			""       | NULL | region:key,id:key
			EU       | x    | id:type integer
			""       | x    | region:key,id:type integer
			""")
	void aKeyPartWithoutValueRejectsTheRow(String region, String id, String expected) {
		Map<String, ColumnRule> columns = new LinkedHashMap<>();
		columns.put("region", new ColumnRule("region", Type.STRING, null,
				List.of(Normalization.TRIM, Normalization.UPPER), List.of(""), false, null));
		columns.put("id", new ColumnRule("id", Type.INTEGER, null, List.of(), List.of(""), false, null));
		columns.put("name", rule("name", Type.STRING));
		ImportRules rules = ImportRules.of(phase(List.of("region", "id"), columns));
		Object[] source = { region, id, "Stella" };

		Outcome outcome = rules.apply((index) -> source[index]);

		assertThat(outcome.rejections()).extracting((rejection) -> rejection.column() + ":" + rejection.rule())
			.containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected.split(",")));
		assertThat(outcome.values()[2]).isEqualTo("Stella");
	}

	@Test
	void aRequiredKeyIsRejectedOnceAsRequired() {
		ColumnRule id = new ColumnRule("id", Type.INTEGER, null, List.of(), List.of(), true, null);
		ImportRules rules = ImportRules.of(phase(List.of("id"), Map.of("id", id)));

		assertThat(rules.apply((index) -> null).rejections()).singleElement()
			.isEqualTo(new Rejection("id", null, "required", "id: no value, and the column is required."));
	}

	@Test
	void aKeyWithoutValueSaysSo() {
		ImportRules rules = ImportRules.of(phase(List.of("id"), Map.of("id", rule("id", Type.INTEGER))));

		assertThat(rules.apply((index) -> null).rejections()).singleElement()
			.isEqualTo(new Rejection("id", null, "key", "id: the key column has no value."));
	}

	@Test
	void aKeyWithADefaultIsNotRejected() {
		ColumnRule id = new ColumnRule("id", Type.INTEGER, null, List.of(), List.of(), false, "0");
		ImportRules rules = ImportRules.of(phase(List.of("id"), Map.of("id", id)));

		Outcome outcome = rules.apply((index) -> null);

		assertThat(outcome.rejected()).isFalse();
		assertThat(outcome.values()).containsExactly(0L);
	}

	@Test
	void columnsKeysAndSourcesFollowThePlan() {
		Map<String, ColumnRule> columns = new LinkedHashMap<>();
		columns.put("id", rule("id", Type.INTEGER));
		columns.put("name", rule("name", Type.STRING));
		columns.put("fragrant", new ColumnRule("fragrance", Type.BOOLEAN, null, List.of(), List.of(), false, null));
		columns.put("sort_name",
				new ColumnRule("name", Type.STRING, null, List.of(Normalization.UPPER), List.of(), false, null));
		columns.put("added", new ColumnRule("added", Type.DATE, null, List.of(), List.of(), false, null));
		ImportRules rules = ImportRules.of(phase(List.of("NAME", "id"), columns));
		Object[] source = { "7", "Stella", "yes", "2024-02-29" };

		Outcome outcome = rules.apply((index) -> source[index]);

		assertThat(rules.targetColumns()).containsExactly("id", "name", "fragrant", "sort_name", "added");
		assertThat(rules.keyColumns()).containsExactly("NAME", "id");
		assertThat(rules.keyIndexes()).containsExactly(1, 0);
		assertThat(rules.sourceColumns()).containsExactly("id", "name", "fragrance", "added");
		assertThat(List.of(rules.type(0), rules.type(1), rules.type(2), rules.type(3), rules.type(4)))
			.containsExactly(Type.INTEGER, Type.STRING, Type.BOOLEAN, Type.STRING, Type.DATE);
		assertThat(outcome.values()).containsExactly(7L, "Stella", true, "STELLA", LocalDate.of(2024, 2, 29));
	}

	@Test
	void aKeyThatIsNotAColumnIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ImportRules.of(phase(List.of("code"), Map.of("id", rule("id", Type.INTEGER)))))
			.withMessage("Key column 'code' is not one of the columns");
	}

	static Stream<Arguments> keyOrder() {
		return Stream.of(arguments(keys(9L), keys(10L), -1), arguments(keys(10L), keys(9L), 1),
				arguments(keys(-3L), keys(2L), -1), arguments(keys(7L), keys(7L), 0),
				arguments(keys(9L), keys(new BigDecimal("10")), -1),
				arguments(keys(new BigDecimal("2.50")), keys(2L), 1),
				arguments(keys(new BigDecimal("2.0")), keys(2L), 0),
				arguments(keys(new BigDecimal("9.99")), keys(new BigDecimal("10")), -1),
				arguments(keys(Long.MAX_VALUE), keys(new BigDecimal("9223372036854775808")), -1),
				arguments(keys("B"), keys("a"), -1), arguments(keys("ab"), keys("abc"), -1),
				arguments(keys("é"), keys("f"), 1), arguments(keys("Z"), keys("Z"), 0),
				arguments(keys("\uFFFD"), keys("\uD83D\uDE00"), -1),
				arguments(keys("\uFF21"), keys("\uD800\uDC00"), -1), arguments(keys("\uE000"), keys("\uD7FF"), 1),
				arguments(keys("\uD83D\uDE00"), keys("\uD83D\uDE01"), -1),
				arguments(keys("x\uD83D\uDE00"), keys("x\uFFFF"), 1), arguments(keys(false), keys(true), -1),
				arguments(keys(true), keys(true), 0),
				arguments(keys(LocalDate.of(2024, 1, 31)), keys(LocalDate.of(2024, 2, 1)), -1),
				arguments(keys(LocalDate.of(1999, 12, 31)), keys(LocalDate.of(2000, 1, 1)), -1),
				arguments(keys(LocalDateTime.of(2024, 3, 1, 10, 0)), keys(LocalDateTime.of(2024, 3, 1, 9, 59, 59)), 1),
				arguments(keys("EU", 2L), keys("EU", 10L), -1), arguments(keys("EU", 10L), keys("US", 1L), -1),
				arguments(keys("EU", 10L), keys("EU", 10L), 0),
				arguments(keys(LocalDate.of(2024, 1, 1), "b"), keys(LocalDate.of(2024, 1, 1), "a"), 1));
	}

	@ParameterizedTest(name = "{0} vs {1} -> {2}")
	@MethodSource
	void keyOrder(Object[] a, Object[] b, int expected) {
		assertThat(Integer.signum(ImportRules.compareKeys(a, b))).isEqualTo(expected);
		assertThat(Integer.signum(ImportRules.compareKeys(b, a))).isEqualTo(-expected);
	}

	@Test
	void keyStringsSortByCodePointWhereUtf16OrderDiffers() {
		String replacement = "\uFFFD";
		String emoji = "\uD83D\uDE00";

		assertThat(replacement.compareTo(emoji)).isPositive();
		assertThat(ImportRules.compareKeys(keys(replacement), keys(emoji))).isNegative();
	}

	static Stream<Arguments> targetValues() throws SQLException {
		return Stream.of(arguments(Type.BOOLEAN, 1, true), arguments(Type.BOOLEAN, 0, false),
				arguments(Type.BOOLEAN, 1L, true), arguments(Type.BOOLEAN, Boolean.FALSE, false),
				arguments(Type.BOOLEAN, "1", true), arguments(Type.BOOLEAN, "true", true),
				arguments(Type.BOOLEAN, "N", false), arguments(Type.BOOLEAN, 2, "2"),
				arguments(Type.BOOLEAN, "maybe", "maybe"), arguments(Type.INTEGER, 5, 5L),
				arguments(Type.INTEGER, 5L, 5L), arguments(Type.INTEGER, (short) 5, 5L),
				arguments(Type.INTEGER, new BigDecimal("7.00"), 7L), arguments(Type.INTEGER, BigInteger.TWO, 2L),
				arguments(Type.INTEGER, "12", 12L), arguments(Type.INTEGER, " 12", " 12"),
				arguments(Type.INTEGER, new BigDecimal("7.5"), "7.5"),
				arguments(Type.DECIMAL, 1.5d, new BigDecimal("1.5")), arguments(Type.DECIMAL, 3, BigDecimal.valueOf(3)),
				arguments(Type.DECIMAL, "2.50", new BigDecimal("2.50")), arguments(Type.DECIMAL, "abc", "abc"),
				arguments(Type.DATE, java.sql.Date.valueOf("2024-02-29"), LocalDate.of(2024, 2, 29)),
				arguments(Type.DATE, LocalDate.of(2024, 2, 29), LocalDate.of(2024, 2, 29)),
				arguments(Type.DATE, "2024-02-29", LocalDate.of(2024, 2, 29)),
				arguments(Type.DATE, Timestamp.valueOf("2024-02-29 08:00:00"), LocalDate.of(2024, 2, 29)),
				arguments(Type.DATE, "29/02/2024", "29/02/2024"), arguments(Type.DATE, "2023-02-29", "2023-02-29"),
				arguments(Type.TIMESTAMP, Timestamp.valueOf("2024-03-01 10:15:30"),
						LocalDateTime.of(2024, 3, 1, 10, 15, 30)),
				arguments(Type.TIMESTAMP, LocalDateTime.of(2024, 3, 1, 10, 15), LocalDateTime.of(2024, 3, 1, 10, 15)),
				arguments(Type.TIMESTAMP, OffsetDateTime.of(2024, 3, 1, 10, 15, 0, 0, ZoneOffset.UTC),
						LocalDateTime.of(2024, 3, 1, 10, 15)),
				arguments(Type.TIMESTAMP, "2024-03-01 10:15:30", LocalDateTime.of(2024, 3, 1, 10, 15, 30)),
				arguments(Type.TIMESTAMP, "2024-03-01T10:15:30.5",
						LocalDateTime.of(2024, 3, 1, 10, 15, 30, 500_000_000)),
				arguments(Type.TIMESTAMP, "soon", "soon"), arguments(Type.STRING, " Padded  Text ", " Padded  Text "),
				arguments(Type.STRING, 42, "42"),
				arguments(Type.STRING, "Łódź".getBytes(StandardCharsets.UTF_8), "Łódź"),
				arguments(Type.STRING, new SerialClob("long text".toCharArray()), "long text"),
				arguments(Type.STRING, null, null), arguments(Type.INTEGER, null, null));
	}

	@ParameterizedTest(name = "{0}: {1} -> {2}")
	@MethodSource
	void targetValues(Type type, Object jdbcValue, Object expected) {
		// the target side is never normalized, whatever the column's rules say
		ColumnRule rule = new ColumnRule("v", type, (type == Type.DATE) ? "dd/MM/yyyy" : null,
				List.of(Normalization.TRIM, Normalization.COLLAPSE_SPACES), List.of(), false, null);
		ImportRules rules = ImportRules.of(phase(List.of(), Map.of("v", rule)));

		Object canonical = rules.fromTarget(0, jdbcValue);

		assertThat(canonical).isEqualTo(expected);
		if (expected != null) {
			assertThat(canonical).isExactlyInstanceOf(expected.getClass());
		}
	}

	@ParameterizedTest(name = "{0}: {1} same as {2}: {3}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL", textBlock = """
			# type    | source               | target (as the driver returns it, here as text) | same
			decimal   | 1.50                 | 1.5                  | true
			decimal   | 0                    | 0.00                 | true
			decimal   | -0.0                 | 0                    | true
			decimal   | 1.5                  | 1.51                 | false
			decimal   | NULL                 | NULL                 | true
			decimal   | NULL                 | 0                    | false
			decimal   | 0                    | NULL                 | false
			integer   | +12                  | 12                   | true
			integer   | 12                   | 13                   | false
			boolean   | yes                  | 1                    | true
			boolean   | n                    | true                 | false
			date      | 2024-02-29           | 2024-02-29           | true
			timestamp | 2024-03-01 10:15     | 2024-03-01T10:15:00  | true
			string    | a                    | "a "                 | false
			string    | ""                   | NULL                 | false
			""")
	void sameComparesCanonicalValues(String type, String source, String target, boolean same) {
		ImportRules rules = ImportRules.of(phase(List.of(), Map.of("v", rule(type(type)))));
		Object fromSource = rules.apply((index) -> source).values()[0];
		Object fromTarget = rules.fromTarget(0, target);

		assertThat(rules.same(0, fromSource, fromTarget)).isEqualTo(same);
		assertThat(rules.same(0, fromTarget, fromSource)).isEqualTo(same);
	}

	@Test
	void decimalsReadBackAsNumbersAreTheSameWhateverTheirScale() {
		ImportRules rules = ImportRules.of(phase(List.of(), Map.of("price", rule(Type.DECIMAL))));

		Object fromSource = rules.apply((index) -> "1.50").values()[0];

		assertThat(rules.same(0, fromSource, rules.fromTarget(0, new BigDecimal("1.5000")))).isTrue();
		assertThat(rules.same(0, fromSource, rules.fromTarget(0, 1.5d))).isTrue();
		assertThat(rules.same(0, fromSource, rules.fromTarget(0, 1.49d))).isFalse();
	}

	static Stream<Arguments> canonicalText() {
		return Stream.of(arguments(new BigDecimal("1.50"), "1.5"), arguments(new BigDecimal("0.00"), "0"),
				arguments(new BigDecimal("-0.0"), "0"), arguments(new BigDecimal("1E+3"), "1000"),
				arguments(new BigDecimal("-12.3400"), "-12.34"), arguments(new BigDecimal("100"), "100"),
				arguments(new BigDecimal("0.000001"), "0.000001"), arguments(42L, "42"), arguments(-7L, "-7"),
				arguments(0L, "0"), arguments(true, "true"), arguments(false, "false"),
				arguments(LocalDate.of(2024, 2, 29), "2024-02-29"), arguments(LocalDate.of(33, 1, 1), "0033-01-01"),
				arguments(LocalDateTime.of(2024, 3, 1, 10, 15), "2024-03-01T10:15:00"),
				arguments(LocalDateTime.of(2024, 3, 1, 0, 0), "2024-03-01T00:00:00"),
				arguments(LocalDateTime.of(2024, 3, 1, 10, 15, 30, 250_000_000), "2024-03-01T10:15:30.25"),
				arguments(LocalDateTime.of(2024, 3, 1, 10, 15, 30, 123_456_789), "2024-03-01T10:15:30.123456789"),
				arguments(LocalDateTime.of(2024, 3, 1, 10, 15, 30, 1), "2024-03-01T10:15:30.000000001"),
				arguments("as is ", "as is "), arguments("", ""), arguments(null, null));
	}

	@ParameterizedTest(name = "{0} -> \"{1}\"")
	@MethodSource
	void canonicalText(Object canonical, String expected) {
		assertThat(ImportRules.text(canonical)).isEqualTo(expected);
	}

	private static ImportPhase phase(List<String> key, Map<String, ColumnRule> columns) {
		return new ImportPhase("import", "cultivars", "SELECT * FROM cultivars", "AhsListingV2", key, columns, false,
				ImportPhase.DEFAULT_BATCH_SIZE, List.of());
	}

	private static ColumnRule rule(Type type) {
		return rule("v", type);
	}

	private static ColumnRule rule(String from, Type type) {
		return new ColumnRule(from, type, null, List.of(), List.of(), false, null);
	}

	private static Outcome applyOne(ColumnRule rule, Object raw) {
		return ImportRules.of(phase(List.of(), Map.of(rule.from(), rule))).apply((index) -> {
			assertThat(index).isZero();
			return raw;
		});
	}

	/**
	 * The fixed-width reading of a date pattern takes only what the formatter reads the
	 * same way: over every day 00-32 of every month 00-13 of a range of years, and over
	 * malformed text, it either gives the formatter's date or leaves the value to the
	 * formatter; and it does take every date that exists, except those in the year 0.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "dd.MM.yyyy", "dd/MM/yyyy", "MM/dd/yyyy", "yyyy-MM-dd", "uuuu-MM-dd", "dd-MM-uuuu",
			"yyyyMMdd", "ddMMyyyy", "uuuuMMdd", "dd MM yyyy", "yyyy.MM.dd." })
	void fixedWidthDatesReadAsTheFormatterReadsThem(String pattern) {
		assertReadLikeTheFormatter(pattern, ValueConversions.pattern(pattern));
	}

	@Test
	void isoDatesReadAsTheIsoFormatterReadsThem() {
		assertReadLikeTheFormatter("uuuu-MM-dd", DateTimeFormatter.ISO_LOCAL_DATE);
	}

	private static void assertReadLikeTheFormatter(String pattern, DateTimeFormatter formatter) {
		FixedDate fixed = FixedDate.of(pattern);
		assertThat(fixed).as("a fixed-width pattern").isNotNull();
		List<String> inputs = new ArrayList<>();
		for (int year : new int[] { 0, 1, 4, 99, 100, 1582, 1600, 1900, 1999, 2000, 2023, 2024, 2100, 9999 }) {
			for (int month = 0; month <= 13; month++) {
				for (int day = 0; day <= 32; day++) {
					inputs.add(pattern.replace("dd", "%02d".formatted(day))
						.replace("MM", "%02d".formatted(month))
						.replace("yyyy", "%04d".formatted(year))
						.replace("uuuu", "%04d".formatted(year)));
				}
			}
		}
		String sample = inputs.get(inputs.size() / 2);
		inputs.addAll(List.of("", " ", sample + " ", " " + sample, sample + "0", sample.substring(1),
				sample.replace('0', 'O'), sample.replace('1', '\u0661'), "+" + sample.substring(1),
				"-" + sample.substring(1), sample.toUpperCase(Locale.ROOT) + "x", "12/31/1999", "31.12.1999",
				"1999-12-31", "19991231", "31121999", "1999.12.31.", "31 12 1999", "2024-2-29", "2024-02-29T00:00"));
		int taken = 0;
		for (String input : inputs) {
			LocalDate expected;
			try {
				expected = formatter.parse(input, LocalDate::from);
			}
			catch (DateTimeParseException ex) {
				expected = null;
			}
			LocalDate quick = fixed.parse(input);
			if (quick != null) {
				taken++;
				assertThat(quick).as("\"%s\" as %s", input, pattern).isEqualTo(expected);
			}
			else if (expected != null) {
				assertThat(expected.getYear())
					.as("\"%s\" as %s is left to the formatter, which reads %s", input, pattern, expected)
					.isZero();
			}
		}
		assertThat(taken).isGreaterThan(4000);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "d.M.yyyy", "dd.MM.yy", "dd MMM yyyy", "MMM d, yyyy", "dd.MM.yyyy HH:mm", "dd.MM",
			"MM/yyyy", "'on' dd.MM.yyyy", "[dd.MM.yyyy]", "dd.MM.yyyy.dd", "ddMMyyyyy", "dd.LL.yyyy", "dd.MM.YYYY",
			"dd1MM.yyyy", "dd\u00a0MM\u00a0yyyy" })
	void otherPatternsAreLeftToTheFormatter(String pattern) {
		assertThat(FixedDate.of(pattern)).isNull();
	}

	@Test
	void theIsoDatesOfTargetsAndDefaultsReadAsBefore() {
		ColumnRule rule = new ColumnRule("v", Type.DATE, "dd.MM.yyyy", List.of(), List.of(), false, "2000-01-31");
		ImportRules rules = ImportRules.of(phase(List.of(), Map.of("v", rule)));
		assertThat(rules.fromTarget(0, "2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
		assertThat(rules.fromTarget(0, "0000-01-01")).isEqualTo(LocalDate.of(0, 1, 1));
		assertThat(rules.fromTarget(0, "+12024-01-01")).isEqualTo(LocalDate.of(12024, 1, 1));
		assertThat(rules.fromTarget(0, "2023-02-29")).isEqualTo("2023-02-29");
		assertThat(rules.apply((i) -> null).values()).containsExactly(LocalDate.of(2000, 1, 31));
		assertThat(rules.apply((i) -> "29.02.2024").values()).containsExactly(LocalDate.of(2024, 2, 29));
		assertThat(rules.apply((i) -> " 01.03.2024\t").values()).containsExactly(LocalDate.of(2024, 3, 1));
		assertThat(rules.apply((i) -> "29.02.2023").rejections()).extracting(Rejection::rule)
			.containsExactly("type date (format dd.MM.yyyy)");
	}

	private static void assertOutcome(Outcome outcome, Type type, String expected) {
		if (expected != null && expected.startsWith(REJECTED)) {
			assertThat(outcome.rejections()).extracting(Rejection::rule)
				.containsExactly(expected.substring(REJECTED.length()));
			assertThat(outcome.values()[0]).isNull();
			return;
		}
		assertThat(outcome.rejections()).isEmpty();
		Object value = outcome.values()[0];
		if (expected == null) {
			assertThat(value).isNull();
		}
		else {
			assertThat(value).isExactlyInstanceOf(canonicalClass(type));
			assertThat(ImportRules.text(value)).isEqualTo(TableText.decode(expected));
		}
	}

	private static Class<?> canonicalClass(Type type) {
		return switch (type) {
			case STRING -> String.class;
			case INTEGER -> Long.class;
			case DECIMAL -> BigDecimal.class;
			case BOOLEAN -> Boolean.class;
			case DATE -> LocalDate.class;
			case TIMESTAMP -> LocalDateTime.class;
		};
	}

	private static Type type(String yamlName) {
		return Arrays.stream(Type.values())
			.filter((type) -> type.yamlName().equals(yamlName))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No type " + yamlName));
	}

	private static List<Normalization> steps(String steps) {
		if (steps.isEmpty()) {
			return List.of();
		}
		return Arrays.stream(steps.split(","))
			.map((name) -> Arrays.stream(Normalization.values())
				.filter((normalization) -> normalization.yamlName().equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("No normalization " + name)))
			.toList();
	}

	/**
	 * {@code null}: no null-if; otherwise entries split at ';', so "" is one empty entry.
	 */
	private static List<String> nullIfEntries(String entries) {
		return (entries != null) ? List.of(entries.split(";", -1)) : List.of();
	}

	private static Object[] keys(Object... values) {
		return values;
	}

}
