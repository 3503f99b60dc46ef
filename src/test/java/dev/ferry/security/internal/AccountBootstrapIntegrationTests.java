package dev.ferry.security.internal;

import java.time.Clock;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store that was used in demo mode and is then started with demo mode off: the demo
 * accounts stop working, and FERRY_ADMIN_PASSWORD turns the demo admin into the real one.
 * Runs the bootstrap again on a context of its own (its own in-memory store).
 */
@SpringBootTest(properties = "ferry.test.store=account-bootstrap")
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@Tag("integration")
class AccountBootstrapIntegrationTests {

	@Autowired
	Users users;

	@Autowired
	PasswordEncoder encoder;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void demoModeOffDisablesTheDemoAccountsUntilAnAdminIsGiven(CapturedOutput output) {
		assertThat(this.users.findByDemoTrueAndEnabledTrue()).as("the seven demo users").hasSize(7);

		bootstrap(false, null).run(null);

		assertThat(this.users.findByDemoTrueAndEnabledTrue()).isEmpty();
		assertThat(this.users.countEnabledAdmins()).isZero();
		assertThat(output.getAll()).contains("disabled the demo users")
			.contains("To create the first admin, start Ferry once with FERRY_ADMIN_PASSWORD");

		bootstrap(false, "the-real-admin-password").run(null);

		UserAccount admin = this.users.findByUsername("admin").orElseThrow();
		assertThat(admin.isEnabled()).isTrue();
		assertThat(admin.isDemo()).isFalse();
		assertThat(this.encoder.matches("the-real-admin-password", admin.getPasswordHash())).isTrue();
		assertThat(this.encoder.matches("demo-password-for-tests", admin.getPasswordHash())).isFalse();
		assertThat(this.users.findByUsername("viewer").orElseThrow().isEnabled()).isFalse();

		bootstrap(true, null).run(null);

		assertThat(this.users.findByUsername("viewer").orElseThrow().isEnabled()).isTrue();
		assertThat(this.encoder.matches("the-real-admin-password",
				this.users.findByUsername("admin").orElseThrow().getPasswordHash()))
			.as("demo mode leaves a real admin alone")
			.isTrue();
	}

	private AccountBootstrap bootstrap(boolean demo, String adminPassword) {
		return new AccountBootstrap(this.users, this.encoder, new DemoProperties(demo, null),
				new AdminProperties("admin", adminPassword), this.transactions, Clock.systemUTC());
	}

}
