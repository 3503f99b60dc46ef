package dev.ferry.run.internal;

import com.github.kagkarlsson.scheduler.SchedulerName;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's name: unique per live instance by its host and the port it listens on,
 * so that a restarted instance may take back what its name holds.
 */
class SchedulerIdentityTests {

	static final String HOST = new SchedulerName.Hostname().getName();

	@Test
	void theHostAndThePort() {
		assertThat(name(new MockEnvironment().withProperty("server.port", "8181"))).isEqualTo(HOST + ":8181");
		assertThat(name(new MockEnvironment())).as("Spring Boot's default port").isEqualTo(HOST + ":8080");
	}

	@Test
	void theAddressWhenOneIsSet() {
		assertThat(name(
				new MockEnvironment().withProperty("server.port", "8181").withProperty("server.address", "10.0.0.2")))
			.isEqualTo(HOST + ":10.0.0.2:8181");
	}

	@Test
	void aRandomPortGetsARandomNameThatNoRestartShares() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "0");
		String first = name(environment);
		assertThat(first).startsWith(HOST + ":").isNotEqualTo(HOST + ":0").isNotEqualTo(name(environment));
	}

	@Test
	void aNameGivenInTheSettingsIsLeftToDbScheduler() {
		assertThat(new SchedulerIdentity(null, new MockEnvironment().withProperty("db-scheduler.scheduler-name", "x"))
			.schedulerName()).isEmpty();
	}

	private static String name(MockEnvironment environment) {
		return new SchedulerIdentity(null, environment).schedulerName().orElseThrow().getName();
	}

}
