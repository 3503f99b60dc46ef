package dev.ferry.security;

import java.nio.file.Path;

import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-page confirmation of a form that destroys something, on a token's Revoke: it
 * says what will happen, Cancel and Escape keep the token (and give the focus back to the
 * button), the action revokes it.
 */
class ConfirmationBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-confirmation-browser");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Test
	void revokingATokenAsksInThePageFirst() {
		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/profile"));
		driver.findElement(By.id("token-name")).sendKeys("nightly-check");
		driver.findElement(By.cssSelector(".token-form button[type=submit]")).click();
		WebElement row = waiting()
			.until(d -> d.findElement(By.xpath("//tr[td[1][normalize-space()='nightly-check']]")));
		String rowId = row.getDomAttribute("id");
		assertThat(row.getText()).contains("active");

		// Cancel: nothing happens, the focus is back on Revoke
		revoke(rowId).click();
		WebElement dialog = confirmation();
		assertThat(dialog.findElement(By.id("confirm-dialog-text")).getText())
			.isEqualTo("Revoke token nightly-check? Anything using it stops at once.");
		assertThat(dialog.findElement(By.id("confirm-dialog-ok")).getText()).isEqualTo("Revoke");
		assertThat(driver.switchTo().activeElement()).isEqualTo(dialog.findElement(By.id("confirm-dialog-cancel")));
		screenshot("confirm-revoke-token");
		dialog.findElement(By.id("confirm-dialog-cancel")).click();
		waiting().until(d -> d.findElement(By.id("confirm-dialog")).getDomAttribute("open") == null);
		assertThat(driver.switchTo().activeElement()).isEqualTo(revoke(rowId));

		// Escape: the same
		revoke(rowId).click();
		confirmation();
		driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
		waiting().until(d -> d.findElement(By.id("confirm-dialog")).getDomAttribute("open") == null);
		driver.get(url("/profile"));
		assertThat(driver.findElement(By.id(rowId)).getText()).as("the token after Cancel and Escape")
			.contains("active")
			.doesNotContain("revoked");

		// the action: revoked
		revoke(rowId).click();
		confirmInPage();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id(rowId), "revoked"));
		assertThat(driver.findElement(By.id(rowId)).findElements(By.cssSelector("form"))).isEmpty();
	}

	private static WebElement revoke(String rowId) {
		return driver.findElement(By.cssSelector("#" + rowId + " form button[type=submit]"));
	}

}
