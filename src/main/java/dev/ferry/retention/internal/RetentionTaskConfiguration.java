package dev.ferry.retention.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.ferry.retention.PurgeResult;
import dev.ferry.retention.RetentionService;
import dev.ferry.security.SystemActor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The purge on a schedule ({@code ferry.retention.schedule}): a recurring db-scheduler
 * task, so exactly one instance purges each time, and a time missed while every instance
 * was down is caught up once. Unset, the task's schedule is disabled (db-scheduler then
 * removes an execution an earlier setting left).
 */
@Configuration(proxyBeanMethods = false)
class RetentionTaskConfiguration {

	static final String TASK = "ferry-retention";

	private static final Logger log = LoggerFactory.getLogger(RetentionTaskConfiguration.class);

	@Bean
	RecurringTask<Void> retentionTask(RetentionProperties settings, ObjectProvider<RetentionService> retention) {
		Schedule schedule = schedule(settings);
		return Tasks.recurring(TASK, schedule).execute((instance, context) -> {
			// looked up when it runs: the scheduler is made before the services it would
			// otherwise wait for (the runs need the scheduler)
			PurgeResult result = SystemActor.call(() -> retention.getObject().purgeAll());
			log.info("Retention purged {} item(s): {} change row(s), {} mapping item(s), {} before-image(s); {} failed",
					result.totals().items(), result.totals().changeRows(), result.totals().mappingItems(),
					result.totals().undoImages(), result.failed().size());
		});
	}

	/**
	 * The setting as db-scheduler's schedule: disabled when unset, else a cron expression
	 * with seconds, or the start fails saying what is wrong.
	 */
	static CronSchedule schedule(RetentionProperties settings) {
		try {
			return Schedules.cron(settings.schedule() == null ? "-" : settings.schedule());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("ferry.retention.schedule (FERRY_RETENTION_SCHEDULE) is not a cron "
					+ "expression with seconds, such as 0 0 3 * * * for every night at 3: " + settings.schedule() + " ("
					+ ex.getMessage() + ")", ex);
		}
	}

}
