package dev.ferry.security;

import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/** An admin manages a user in the browser; a viewer meets the forbidden page. */
class AdminUsersBrowserTests extends BrowserTest {

	@Test
	void adminCreatesAUserGrantsARoleAndDisablesThem() {
		signIn("admin", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/admin/users"));

		driver.findElement(By.id("new-username")).sendKeys("gina");
		driver.findElement(By.id("new-password")).sendKeys("gina-password-1");
		driver.findElement(By.cssSelector("#new-user input[value=REVIEWER]")).click();
		driver.findElement(By.cssSelector("#new-user button[type=submit]")).click();

		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-success"),
				"User gina created."));
		driver.findElement(By.linkText("gina")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/admin/users/gina")));
		assertThat(driver.findElement(By.cssSelector("input[name=roles][value=REVIEWER]")).isSelected()).isTrue();
		assertThat(driver.findElement(By.cssSelector("input[name=roles][value=VIEWER]")).isSelected()).isTrue();

		driver.findElement(By.cssSelector("input[name=roles][value=OPERATOR]")).click();
		driver.findElement(By.xpath("//button[normalize-space()='Save roles']")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-success"),
				"Roles of gina changed."));
		assertThat(driver.findElement(By.cssSelector("input[name=roles][value=OPERATOR]")).isSelected()).isTrue();

		driver.findElement(By.xpath("//button[normalize-space()='Disable user']")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-success"),
				"User gina disabled"));
		assertThat(driver.findElement(By.cssSelector(".page-head .status")).getText()).contains("Disabled");
		screenshot("admin-user-detail");
	}

	@Test
	void viewerOpeningAnAdminPageSeesTheForbiddenPageInWords() {
		signIn("viewer", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/admin/users"));

		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("You are not allowed to do that");
		assertThat(driver.findElement(By.linkText("Back to the home page")).isDisplayed()).isTrue();
		assertThat(driver.findElement(By.cssSelector(".usermenu .user-name")).getText()).isEqualTo("viewer");
		screenshot("forbidden-viewer");
	}

}
