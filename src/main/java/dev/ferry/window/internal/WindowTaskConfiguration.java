package dev.ferry.window.internal;

import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.ferry.security.SystemActor;
import dev.ferry.window.WindowService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the scheduled applies whose window has opened: a recurring db-scheduler task
 * every {@code ferry.windows.poll} (default 15 s), so it runs on one instance at a time
 * and goes on after a restart; the applies it starts are ordinary durable runs.
 */
@Configuration(proxyBeanMethods = false)
class WindowTaskConfiguration {

	static final String TASK = "ferry-window-starts";

	@Bean
	RecurringTask<Void> windowStartsTask(@Value("${ferry.windows.poll:15s}") Duration poll,
			ObjectProvider<WindowService> windows) {
		return Tasks.recurring(TASK, Schedules.fixedDelay(poll))
			.execute((instance, context) -> SystemActor.call(() -> windows.getObject().startDue()));
	}

}
