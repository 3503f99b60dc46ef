package dev.ferry;

import java.time.Instant;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.ProbeTaskConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** db-scheduler is wired to the embedded store and executes what is scheduled. */
@FerryAppTest
class SchedulerIntegrationTests {

	@Autowired
	SchedulerClient scheduler;

	@Autowired
	OneTimeTask<String> probeTask;

	@Test
	void aScheduledTaskIsPickedUpAndExecuted() {
		String id = "h2-" + System.nanoTime();
		this.scheduler.scheduleIfNotExists(this.probeTask.instance(id, "hello from h2"), Instant.now());
		Await.until(() -> ProbeTaskConfiguration.EXECUTED.containsKey(id), "the probe task to run");
		assertThat(ProbeTaskConfiguration.EXECUTED).containsEntry(id, "hello from h2");
	}

}
