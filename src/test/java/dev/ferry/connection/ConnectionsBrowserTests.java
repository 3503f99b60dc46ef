package dev.ferry.connection;

import java.nio.file.Path;
import java.sql.DriverManager;

import dev.ferry.security.SystemActor;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo connections, tested from the connections page. */
class ConnectionsBrowserTests extends BrowserTest {

	@Autowired
	ConnectionService connections;

	@Test
	void operatorTestsTheDemoConnectionsAndSeesTheirTables() {
		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.findElement(By.linkText("Connections")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/connections")));
		assertThat(driver.findElements(By.linkText("New connection"))).as("only admins change connections").isEmpty();

		driver.findElement(By.cssSelector("#connection-cultivars button")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-cultivars"), "50,000"));
		assertThat(driver.findElement(By.id("test-cultivars")).getText()).contains("Connected", "read-only",
				"cultivars");

		driver.findElement(By.cssSelector("#connection-app button")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-app"), "20,000"));
		assertThat(driver.findElement(By.id("test-app")).getText()).contains("AHSLISTING", "LISTING", "30,000");
		screenshot("connections-tested");
	}

	@Test
	void anAdminSeesWhyAConnectionAPlanUsesCannotBeDeleted() {
		signIn("admin", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/connections"));
		// every demo connection is named by a sample plan
		var delete = waiting().until(d -> d.findElement(By.id("delete-cultivars")));
		assertThat(delete.isEnabled()).isFalse();
		assertThat(delete.getAttribute("title")).contains("Used by plan ahs-v2");
		assertThat(driver.findElement(By.id("connection-cultivars")).getText())
			.contains("Not deletable: used by plan ahs-v2");
		for (int width : new int[] { 1440, 800 }) {
			driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
			driver.get(url("/connections"));
			waiting().until(d -> d.findElement(By.id("delete-cultivars")));
			screenshot("connections-admin-" + width);
		}
	}

	@Test
	void anH2LoginWithTheAdminRightIsRefusedAndTheFormSaysWhatFerryNeeds(@TempDir Path dir) throws Exception {
		String url = "jdbc:h2:file:" + dir.resolve("owned").toAbsolutePath();
		DriverManager.getConnection(url, "sa", "").close();
		SystemActor.run(() -> this.connections.create(new ConnectionCommand("owned-by-sa", url, "sa", null, false)));

		signIn("admin", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/connections"));
		driver.findElement(By.cssSelector("#connection-owned-by-sa button")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-owned-by-sa"), "admin"));
		assertThat(driver.findElement(By.id("test-owned-by-sa")).getText()).contains("Connection failed",
				"Ferry does not log in to H2 as an admin", "SA is an admin of this database", "CREATE USER");
		((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
				"arguments[0].scrollIntoView({block: 'center'})", driver.findElement(By.id("test-owned-by-sa")));
		screenshot("connections-h2-admin-refused");

		for (int width : new int[] { 1440, 800 }) {
			driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
			driver.get(url("/connections/new"));
			assertThat(waiting().until(d -> d.findElement(By.id("username"))).isDisplayed()).isTrue();
			assertThat(driver.findElement(By.xpath("//form[.//input[@id='username']]")).getText())
				.contains("On H2 a user without the admin right")
				.contains("no in-memory H2");
			screenshot("connection-form-" + width);
		}
	}

}
