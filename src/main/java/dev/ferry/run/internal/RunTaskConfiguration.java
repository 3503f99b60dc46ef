package dev.ferry.run.internal;

import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task that carries runs. A run that fails is ended by the engine
 * itself; the task only fails when the run was handed back at shutdown, and then it is
 * due again at once, for whichever instance polls first.
 */
@Configuration(proxyBeanMethods = false)
class RunTaskConfiguration {

	@Bean
	OneTimeTask<Long> runTask(RunEngine engine) {
		return Tasks.oneTime(RunEngine.TASK, Long.class)
			.onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ZERO))
			.execute((instance, context) -> engine.execute(instance.getData(), context));
	}

}
