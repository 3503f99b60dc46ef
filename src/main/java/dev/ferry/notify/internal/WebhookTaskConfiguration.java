package dev.ferry.notify.internal;

import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.ferry.notify.WebhookService;
import dev.ferry.security.SystemActor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sends the due webhook deliveries: a recurring db-scheduler task every
 * {@code ferry.webhooks.poll} (default 5 s), so one instance at a time sends them and
 * what was due while every instance was down is sent when one is back.
 */
@Configuration(proxyBeanMethods = false)
class WebhookTaskConfiguration {

	static final String TASK = "ferry-webhook-deliveries";

	@Bean
	RecurringTask<Void> webhookDeliveriesTask(@Value("${ferry.webhooks.poll:5s}") Duration poll,
			ObjectProvider<WebhookService> webhooks) {
		return Tasks.recurring(TASK, Schedules.fixedDelay(poll))
			.execute((instance, context) -> SystemActor.call(() -> webhooks.getObject().deliverDue()));
	}

}
