package dev.ferry.web;

import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in through the real login page in a real browser. */
class LoginBrowserTests extends BrowserTest {

	@Test
	void demoUserSignsInAndSeesTheHomePage() {
		driver.get(url("/"));
		assertThat(driver.getCurrentUrl()).endsWith("/login");

		signIn("operator", FerryAppTest.DEMO_PASSWORD);

		waiting().until(ExpectedConditions.urlToBe(url("/")));
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("What needs me");
		assertThat(driver.findElement(By.cssSelector(".usermenu .user-name")).getText()).isEqualTo("operator");
		assertThat(driver.findElement(By.cssSelector(".usermenu .role-chip")).getText()).isEqualTo("Operator");
		assertThat(driver.findElements(By.linkText("Admin"))).as("only admins see the Admin link").isEmpty();
		assertThat(driver.findElement(By.id("home-plans")).getText()).contains("ahs-v2", "AHS V2 cultivar dataset");
		screenshot("home-operator");
	}

	@Test
	void wrongPasswordShowsAnErrorOnTheLoginPage() {
		signIn("operator", "not-the-password");

		waiting().until(ExpectedConditions.urlContains("/login?error"));
		assertThat(driver.findElement(By.cssSelector(".flash-error")).getText())
			.contains("Wrong user name or password");
		assertThat(driver.findElement(By.id("username")).isDisplayed()).isTrue();
	}

	@Test
	void userSearchSwapsTheListWithHtmxAndKeepsTheAddress() {
		signIn("admin", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.findElement(By.linkText("Admin")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/admin/users")));
		assertThat(driver.findElement(By.id("user-list")).getText()).contains("viewer");

		driver.findElement(By.id("user-q")).sendKeys("oper");

		waiting().until(ExpectedConditions.urlContains("q=oper"));
		waiting().until(ExpectedConditions
			.not(ExpectedConditions.textToBePresentInElementLocated(By.id("user-list"), "viewer")));
		assertThat(driver.findElement(By.id("user-list")).getText()).contains("operator", "operator2");
		assertThat(driver.findElements(By.tagName("header"))).as("the fragment replaced the list, not the page")
			.hasSize(1);
		screenshot("admin-users-search");
	}

	@Test
	void htmxRequestAfterTheSessionEndedReloadsToTheLoginPage() {
		signIn("admin", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/admin/users"));
		Cookie session = driver.manage().getCookieNamed("SESSION");
		assertThat(session).isNotNull();
		driver.manage().deleteCookieNamed("SESSION");

		driver.findElement(By.id("user-q")).sendKeys("adm");

		waiting().until(ExpectedConditions.urlContains("/login"));
		assertThat(driver.findElement(By.id("password")).isDisplayed()).isTrue();
		assertThat(driver.findElements(By.id("user-list"))).as("no login form swapped into the list").isEmpty();
	}

}
