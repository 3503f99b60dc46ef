package dev.ferry.plan.spec;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ferry.support.TableText;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The normalizations of import columns and mapping keys, one table row per case;
 * invisible characters are written as {@code {tab}}, {@code {nl}}, {@code {nbsp}} or
 * {@code {U+XXXX}}.
 */
class NormalizationTests {

	@ParameterizedTest(name = "[{0}] \"{1}\" -> \"{2}\"")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			# steps                       | input                                           | expected
			trim                          | "  a b  "                                       | a b
			trim                          | {tab}a{tab}                                     | a
			trim                          | {nl}a{nl}{U+000D}                               | a
			trim                          | {nbsp}Daylily{nbsp}                             | Daylily
			trim                          | {U+2007}12{U+202F}                              | 12
			trim                          | {U+200B}x{U+FEFF}                               | x
			trim                          | {U+0085}x{U+2028}                               | x
			trim                          | {U+FEFF}{U+3000}{U+2003} mixed{nbsp}{tab}{nl}   | mixed
			trim                          | a{nbsp}{nbsp}b                                  | a{nbsp}{nbsp}b
			trim                          | {nbsp}{tab}{U+200B}                             | ""
			trim                          | ""                                              | ""
			collapse-spaces               | "a  b"                                          | a b
			collapse-spaces               | a{tab}{nbsp}{nl}b                               | a b
			collapse-spaces               | {nbsp}{nbsp}a{U+2007}{U+202F}b{U+200B}{tab}     | " a b "
			collapse-spaces               | a{U+200B}b                                      | a b
			collapse-spaces               | a{nbsp}b                                        | a b
			collapse-spaces               | "a b c"                                         | a b c
			collapse-spaces               | {tab}                                           | " "
			collapse-spaces               | ""                                              | ""
			lower                         | ÉLAN Bleu                                       | élan bleu
			lower                         | TITLE                                           | title
			lower                         | {U+0130}stanbul                                 | i{U+0307}stanbul
			upper                         | istanbul                                        | ISTANBUL
			upper                         | straße                                          | STRASSE
			upper                         | élan                                            | ÉLAN
			strip-accents                 | Crème Brûlée                                    | Creme Brulee
			strip-accents                 | naïve café Ça                                   | naive cafe Ca
			strip-accents                 | Łódź                                            | Lodz
			strip-accents                 | Øresund søren                                   | Oresund soren
			strip-accents                 | Straße                                          | Strasse
			strip-accents                 | Æsir œuvre Œil æble                             | AEsir oeuvre OEil aeble
			strip-accents                 | Đorđe Ðóra                                      | Dorde Dora
			strip-accents                 | Ħamrun ħ                                        | Hamrun h
			strip-accents                 | þorn Þing                                       | thorn THing
			strip-accents                 | Ångström                                        | Angstrom
			strip-accents                 | e{U+0301}lan                                    | elan
			strip-accents                 | a{U+0300}{U+0323}b                              | ab
			strip-accents                 | 한국어                                          | 한국어
			strip-accents                 | plain ascii 123                                 | plain ascii 123
			title-case                    | o'brien-smith                                   | O'Brien-Smith
			title-case                    | mcDONALD                                        | Mcdonald
			title-case                    | ÉLAN bleu                                       | Élan Bleu
			title-case                    | E{U+0301}LAN                                    | E{U+0301}lan
			title-case                    | "  two  words "                                 | "  Two  Words "
			title-case                    | 3rd street                                      | 3Rd Street
			title-case                    | l'été                                           | L'Été
			title-case                    | {U+01C6}emal                                    | {U+01C5}emal
			title-case                    | stella de oro                                   | Stella De Oro
			""                            | " Untouched  Text "                             | " Untouched  Text "
			trim,collapse-spaces          | {nbsp} a {tab}{tab} b {nl}                      | a b
			collapse-spaces,trim          | {nbsp} a {tab}{tab} b {nl}                      | a b
			upper,strip-accents           | crème brûlée                                    | CREME BRULEE
			strip-accents,upper           | straße                                          | STRASSE
			upper,strip-accents           | straße                                          | STRASSE
			lower                         | ÆBLE                                            | æble
			strip-accents,lower           | ÆBLE                                            | aeble
			strip-accents,title-case      | ÆSIR                                            | Aesir
			title-case,strip-accents      | ÆSIR                                            | AEsir
			upper,title-case              | o'brien                                         | O'Brien
			title-case,upper              | élan                                            | ÉLAN
			trim,collapse-spaces,lower,strip-accents | " Łódź {nbsp} Fabryczna "            | lodz fabryczna
			""")
	void normalizesInOrder(String steps, String input, String expected) {
		assertThat(Normalization.apply(steps(steps), TableText.decode(input))).isEqualTo(TableText.decode(expected));
	}

	@ParameterizedTest
	@EnumSource(Normalization.class)
	void nullStaysNull(Normalization normalization) {
		assertThat(normalization.apply(null)).isNull();
		assertThat(Normalization.apply(List.of(normalization, Normalization.TRIM), null)).isNull();
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

}
