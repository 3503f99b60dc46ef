package dev.ferry.notify;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.security.SystemActor;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin's webhooks page: a host off the allow-list is refused in the form with the
 * API's words, a webhook is added and listed without its secret, a test is sent and its
 * delivery shows pending, then delivered. At 1,440 and 800 px nothing scrolls sideways.
 */
class WebhookBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-webhook-browser");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
		registry.add("ferry.http-checks.allowed-hosts", () -> "localhost");
		registry.add("ferry.webhooks.poll", () -> "1h");
	}

	@Autowired
	WebhookService webhooks;

	HttpServer receiver;

	@AfterEach
	void stop() {
		if (this.receiver != null) {
			this.receiver.stop(0);
		}
	}

	@Test
	void anAdminAddsAWebhookAndSeesItsTestDelivered() throws Exception {
		AtomicInteger posts = new AtomicInteger();
		this.receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.receiver.createContext("/", exchange -> {
			exchange.getRequestBody().readAllBytes();
			posts.incrementAndGet();
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		this.receiver.start();

		signIn("admin", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/admin/users"));
		driver.findElement(By.id("admin-tab-webhooks")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("new-webhook")));
		assertThat(driver.findElement(By.id("webhooks")).getText()).contains("No webhook yet.");

		fill("ops", "https://hooks.example.org/ferry", "ops-secret");
		driver.findElement(By.cssSelector("#new-webhook button[type=submit]")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#new-webhook .field-error")));
		assertThat(driver.findElement(By.cssSelector("#new-webhook .field-error")).getText())
			.isEqualTo("Host 'hooks.example.org' is not allowed for webhooks (the allow-list of http gates); "
					+ "allowed: localhost, localhost:6333");
		assertThat(driver.findElement(By.id("webhook-secret")).getAttribute("value")).as("the secret is not sent back")
			.isEmpty();

		fill("ops", "http://localhost:" + this.receiver.getAddress().getPort() + "/ferry", "ops-secret");
		driver.findElement(By.cssSelector("input[value='run.failed']")).click();
		driver.findElement(By.cssSelector("input[value='verify.failed']")).click();
		driver.findElement(By.cssSelector("#new-webhook button[type=submit]")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-ops")));
		assertThat(driver.findElement(By.id("flash")).getText()).contains("Webhook ops is added.");
		assertThat(driver.findElement(By.id("webhook-ops")).getText()).contains("run.failed, verify.failed")
			.contains("Ferry JSON")
			.doesNotContain("ops-secret");
		assertThat(driver.getPageSource()).doesNotContain("ops-secret");

		driver.findElement(By.id("ping-ops")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("deliveries-table")));
		assertThat(driver.findElement(By.id("deliveries-table")).getText()).contains("ping")
			.contains("pending")
			.contains("no attempt yet");
		assertThat(SystemActor.call(() -> this.webhooks.deliverDue())).isOne();
		driver.navigate().refresh();
		assertThat(driver.findElement(By.id("deliveries-table")).getText()).contains("delivered")
			.contains("1 attempt · HTTP 204");
		assertThat(posts.get()).isOne();
		windowWidth(1440);
		screenshot("webhooks-1440");
		windowWidth(800);
		assertNoHorizontalScroll("the webhooks page at 800 px");
		screenshot("webhooks-800");
		windowWidth(1280);
	}

	private static void fill(String name, String url, String secret) {
		driver.findElement(By.id("webhook-name")).clear();
		driver.findElement(By.id("webhook-name")).sendKeys(name);
		driver.findElement(By.id("webhook-url")).clear();
		driver.findElement(By.id("webhook-url")).sendKeys(url);
		driver.findElement(By.id("webhook-secret")).clear();
		driver.findElement(By.id("webhook-secret")).sendKeys(secret);
	}

}
