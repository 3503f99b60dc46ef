package dev.ferry.changeset;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			=1+2                 | `"'=1+2"`
			+SUM(A1)             | `"'+SUM(A1)"`
			-2+3                 | `"'-2+3"`
			@cmd                 | `"'@cmd"`
			=A1,B1               | `"'=A1,B1"`
			-5                   | -5
			+1.5e3               | +1.5e3
			-.5                  | -.5
			plain text           | plain text
			a=b                  | a=b
			""")
	void aCellASpreadsheetWouldRunIsWrittenAsText(String value, String field) {
		assertThat(Csv.field(value)).isEqualTo(field);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			`\tcmd`  | `"'\tcmd"`
			`\rcmd`  | `"'\rcmd"`
			""")
	void leadingTabsAndCarriageReturnsToo(String value, String field) {
		assertThat(Csv.field(value)).isEqualTo(field);
	}

}
