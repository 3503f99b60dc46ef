package dev.ferry.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of browser tests: the application on a random port driven by the system Chromium
 * (headless) through its ChromeDriver, both given explicitly so nothing is downloaded. A
 * failing test leaves a screenshot under {@code target/browser/}. Where Chromium or its
 * driver is missing the tests are not run, and the build says so at the end; with
 * {@code ferry.test.browser=required} (as {@code .ci/run} sets) they fail instead (see
 * {@link Chromium}). Sessions are kept in the store, as Ferry does by default.
 */
@Tag("browser")
@ExtendWith(Chromium.class)
@FerryAppTest
@TestPropertySource(properties = "ferry.sessions=jdbc")
@ExtendWith(BrowserTest.ScreenshotOnFailure.class)
public abstract class BrowserTest {

	static final Path SCREENSHOTS = Path.of("target", "browser");

	protected static WebDriver driver;

	@LocalServerPort
	protected int port;

	@BeforeAll
	static void startBrowser() {
		driver = newBrowser();
	}

	/**
	 * A Chromium of its own, for a test with two people signed in at once; the test quits
	 * it.
	 */
	protected static WebDriver newBrowser() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(Chromium.browser().toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,900");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(Chromium.driver().toFile())
			.usingAnyFreePort()
			.build();
		WebDriver browser = new ChromeDriver(service, options);
		browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		return browser;
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
			driver = null;
		}
	}

	@BeforeEach
	void signedOut() {
		driver.manage().window().setSize(new Dimension(1280, 900));
		driver.get(url("/login"));
		driver.manage().deleteAllCookies();
	}

	protected String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	protected WebDriverWait waiting() {
		return new WebDriverWait(driver, Duration.ofSeconds(10));
	}

	/** Signs in through the real login page. */
	protected void signIn(String username, String password) {
		driver.get(url("/login"));
		driver.findElement(By.id("username")).sendKeys(username);
		driver.findElement(By.id("password")).sendKeys(password);
		driver.findElement(By.cssSelector("form button[type=submit]")).click();
	}

	/** Resizes the browser's window (800 for a small laptop, 390 for a phone). */
	protected static void windowWidth(int width) {
		driver.manage().window().setSize(new Dimension(width, 900));
	}

	/**
	 * Asserts that the page is no wider than the window: nothing to scroll sideways for
	 * (what is wider, a long table, scrolls inside its own box).
	 */
	protected static void assertNoHorizontalScroll(String page) {
		@SuppressWarnings("unchecked")
		List<Number> widths = (List<Number>) ((JavascriptExecutor) driver).executeScript(
				"return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth];");
		String wider = (String) ((JavascriptExecutor) driver).executeScript(
				"""
						var limit = document.documentElement.clientWidth, found = [];
						document.querySelectorAll('body *').forEach(function (el) {
						  var box = el.getBoundingClientRect();
						  if (box.right > limit + 0.5 && found.length < 5 && el.offsetParent !== null) {
						    found.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
						      + (el.className && el.className.baseVal === undefined ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '')
						      + ' ends at ' + Math.round(box.right));
						  }
						});
						return found.join('; ');""");
		assertThat(widths.get(0).intValue())
			.as("%s is %s px wide in a window of %s px (%s px inside): %s", page, widths.get(0), widths.get(2),
					widths.get(1), wider)
			.isLessThanOrEqualTo(widths.get(1).intValue());
	}

	/**
	 * The in-page confirmation ferry.js opens for a form with {@code data-confirm}, open.
	 */
	protected WebElement confirmation() {
		return waiting().until(d -> {
			WebElement dialog = d.findElement(By.id("confirm-dialog"));
			return (dialog.getDomAttribute("open") != null && dialog.isDisplayed()) ? dialog : null;
		});
	}

	/** Confirms the open in-page confirmation with its action button. */
	protected void confirmInPage() {
		WebElement dialog = confirmation();
		assertThat(driver.switchTo().activeElement()).as("focus is in the dialog, on Cancel")
			.isEqualTo(dialog.findElement(By.id("confirm-dialog-cancel")));
		dialog.findElement(By.id("confirm-dialog-ok")).click();
	}

	/**
	 * Confirms an in-page confirmation that asks for the plan id: its action is disabled
	 * until the id is typed, then pressed.
	 */
	protected void confirmInPage(String planId) {
		WebElement dialog = confirmation();
		WebElement ok = dialog.findElement(By.id("confirm-dialog-ok"));
		WebElement field = dialog.findElement(By.id("confirm-dialog-input"));
		assertThat(driver.switchTo().activeElement()).as("focus is on the field that asks for the plan id")
			.isEqualTo(field);
		assertThat(ok.isEnabled()).as("the action before the plan id is typed").isFalse();
		field.sendKeys(planId + "x");
		assertThat(ok.isEnabled()).as("the action with another id typed").isFalse();
		field.sendKeys(Keys.BACK_SPACE);
		assertThat(ok.isEnabled()).as("the action with the plan id typed").isTrue();
		ok.click();
	}

	/** Keeps a screenshot of the current page under {@code target/browser/}. */
	protected static Path screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
			Path target = SCREENSHOTS.resolve(name + ".png");
			Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not write the screenshot " + name, ex);
		}
	}

	/** Writes a screenshot named after the failed test. */
	static class ScreenshotOnFailure implements TestWatcher {

		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			if (driver != null) {
				Path shot = screenshot("FAILED-" + context.getRequiredTestClass().getSimpleName() + "-"
						+ context.getRequiredTestMethod().getName());
				System.err.println("Screenshot of the failed browser test: " + shot.toAbsolutePath());
			}
		}

	}

}
