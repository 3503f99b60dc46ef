package dev.ferry.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of browser tests: the application on a random port driven by the system Chromium
 * (headless) through its ChromeDriver, both given explicitly so nothing is downloaded. A
 * failing test leaves a screenshot under {@code target/browser/}. Chromium is required:
 * {@code .ci/run} installs it; a missing browser fails the test rather than skipping it.
 * Sessions are kept in the store, as Ferry does by default.
 */
@FerryAppTest
@TestPropertySource(properties = "ferry.sessions=jdbc")
@ExtendWith(BrowserTest.ScreenshotOnFailure.class)
public abstract class BrowserTest {

	static final Path SCREENSHOTS = Path.of("target", "browser");

	private static final String CHROMIUM = System.getProperty("ferry.test.chromium", "/usr/bin/chromium");

	private static final String CHROMEDRIVER = System.getProperty("ferry.test.chromedriver", "/usr/bin/chromedriver");

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
		for (String file : new String[] { CHROMIUM, CHROMEDRIVER }) {
			if (!new File(file).canExecute()) {
				throw new IllegalStateException(file + " is missing: browser tests need Debian's chromium and "
						+ "chromium-driver (apt-get install -y chromium chromium-driver, as .ci/run does).");
			}
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,900");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
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
