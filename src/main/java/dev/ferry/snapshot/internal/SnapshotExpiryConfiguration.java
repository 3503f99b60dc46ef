package dev.ferry.snapshot.internal;

import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.ferry.security.SystemActor;
import dev.ferry.snapshot.SnapshotService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Deletes expired snapshots: a recurring db-scheduler task every
 * {@code ferry.snapshots.expiry-check} (default one hour), so one instance at a time.
 */
@Configuration(proxyBeanMethods = false)
class SnapshotExpiryConfiguration {

	static final String TASK = "ferry-snapshot-expiry";

	@Bean
	RecurringTask<Void> snapshotExpiryTask(@Value("${ferry.snapshots.expiry-check:1h}") Duration every,
			ObjectProvider<SnapshotService> snapshots) {
		return Tasks.recurring(TASK, Schedules.fixedDelay(every))
			.execute((instance, context) -> SystemActor.call(() -> snapshots.getObject().expire()));
	}

}
