package dev.ferry.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin edits the demo plan in the browser: a typo is shown at its line and column and
 * the line is highlighted; a real change becomes the next version; the diff shows it.
 */
class PlanEditorBrowserTests extends BrowserTest {

	@Test
	void editorShowsErrorsAtTheirLineAndSavesAChangeAsTheNextVersion() throws Exception {
		String plan = Files.readString(Path.of("config/plans/ahs-v2.yaml"));
		signIn("admin", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.findElement(By.linkText("Plans")).click();
		driver.findElement(By.linkText("ahs-v2")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/plans/ahs-v2")));
		assertThat(driver.findElement(By.id("pipeline")).getText()).contains("preflight", "schema", "import", "map",
				"verify");
		int version = Integer
			.parseInt(driver.findElement(By.cssSelector(".page-head .muted a")).getText().replace("Version ", ""));
		driver.findElement(By.linkText("Edit plan")).click();

		String typo = plan.replace("    columns:\n", "    colums:\n");
		int typoLine = lineOf(typo, "    colums:");
		setText(typo);
		driver.findElement(By.xpath("//button[normalize-space()='Validate']")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("problems"),
				"line " + typoLine + ", column 5"));
		assertThat(driver.findElement(By.id("problems")).getText()).contains("Unknown key 'colums'");
		// the gutter marks the line the check answered with, the message on hover
		WebElement mark = waiting().until(ExpectedConditions
			.presenceOfElementLocated(By.cssSelector("#editor-gutter .gutter-error[data-line='" + typoLine + "']")));
		assertThat(mark.getText()).isEqualTo("✕ " + typoLine);
		assertThat(mark.getDomProperty("title")).contains("line " + typoLine + ", column 5")
			.contains("Unknown key 'colums'");
		assertThat(driver.findElements(By.cssSelector("#editor-gutter .gutter-line")))
			.as("one number per line of the text")
			.hasSize((int) typo.chars().filter(c -> c == '\n').count() + 1);

		driver.findElement(By.xpath("//button[normalize-space()='Save plan']")).click();
		WebElement marked = waiting()
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#line-" + typoLine + ".line-error")));
		assertThat(marked.getText()).contains("colums:").contains("Unknown key 'colums'");
		screenshot("plan-editor-errors");
		assertThat(driver.findElement(By.cssSelector("#editor-gutter .gutter-error[data-line='" + typoLine + "']"))
			.getDomProperty("title")).contains("Unknown key 'colums'");
		// the location puts the caret at the line and column, and the numbers follow the
		// text's scrolling
		driver.findElement(By.cssSelector("a.loc[data-line='" + typoLine + "']")).click();
		JavascriptExecutor js = (JavascriptExecutor) driver;
		assertThat(js.executeScript("return document.activeElement.id;")).isEqualTo("yaml");
		assertThat(
				js.executeScript("var t = document.getElementById('yaml'); return [t.selectionStart, t.selectionEnd];"))
			.isEqualTo(List.of((long) typo.indexOf("    colums:") + 4, (long) typo.indexOf("    colums:") + 4));
		long scrolled = (Long) js.executeScript("return Math.round(document.getElementById('yaml').scrollTop);");
		assertThat(scrolled).as("the text scrolled to the line").isGreaterThan(0);
		waiting().until(d -> ((Number) js.executeScript(
				"return Math.abs(document.getElementById('editor-gutter').scrollTop - document.getElementById('yaml').scrollTop);"))
			.doubleValue() < 1);
		assertThat(gutterLineAtTopOfText()).as("the gutter's number beside the text's first visible line")
			.isEqualTo(textLineAtTop());
		screenshot("plan-editor-gutter");
		for (int width : new int[] { 800, 390 }) {
			windowWidth(width);
			screenshot("plan-editor-gutter-" + width);
			if (width == 800) {
				assertNoHorizontalScroll("the plan editor at 800 px");
			}
		}
		windowWidth(1280);

		setText(plan.replace("max: 25 }", "max: 30 }"));
		driver.findElement(By.xpath("//button[normalize-space()='Save plan']")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/plans/ahs-v2")));
		assertThat(driver.findElement(By.cssSelector(".flash-success")).getText())
			.contains("Plan ahs-v2 saved as version " + (version + 1) + ".");

		driver.findElement(By.linkText("Version history")).click();
		driver.findElement(By.xpath("//button[normalize-space()='Compare selected versions']")).click();
		waiting().until(ExpectedConditions.urlContains("/plans/ahs-v2/diff"));
		assertThat(driver.findElements(By.cssSelector("tr.diff-added"))).hasSize(1);
		assertThat(driver.findElements(By.cssSelector("tr.diff-removed"))).hasSize(1);
		assertThat(driver.findElement(By.cssSelector("tr.diff-added")).getText()).contains("max: 30 }");
		assertThat(driver.findElement(By.cssSelector("tr.diff-removed")).getText()).contains("max: 25 }");
		screenshot("plan-diff");
	}

	/** The number of the gutter line drawn at the text's top edge. */
	private static long gutterLineAtTopOfText() {
		return (Long) ((JavascriptExecutor) driver).executeScript("""
				var t = document.getElementById('yaml').getBoundingClientRect();
				var top = t.top + parseFloat(getComputedStyle(document.getElementById('yaml')).paddingTop) + 4;
				var rows = document.querySelectorAll('#editor-gutter .gutter-line');
				for (var i = 0; i < rows.length; i++) {
				  var r = rows[i].getBoundingClientRect();
				  if (r.top <= top && r.bottom > top) { return parseInt(rows[i].getAttribute('data-line'), 10); }
				}
				return -1;""");
	}

	/** The line of the text at its top edge, from its scroll position. */
	private static long textLineAtTop() {
		return (Long) ((JavascriptExecutor) driver).executeScript("""
				var t = document.getElementById('yaml');
				return Math.floor((t.scrollTop + 4) / parseFloat(getComputedStyle(t).lineHeight)) + 1;""");
	}

	private static void setText(String text) {
		((JavascriptExecutor) driver).executeScript("document.getElementById('yaml').value = arguments[0];", text);
	}

	private static int lineOf(String text, String line) {
		String before = text.substring(0, text.indexOf(line));
		return (int) before.chars().filter(c -> c == '\n').count() + 1;
	}

}
