package dev.ferry.connection;

import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo connections, tested from the connections page. */
class ConnectionsBrowserTests extends BrowserTest {

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

}
