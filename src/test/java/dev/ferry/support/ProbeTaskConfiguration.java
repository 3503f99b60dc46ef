package dev.ferry.support;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A db-scheduler task that records which instance ran, so tests can prove the scheduler
 * is wired to the store: scheduled through the store's table, picked up and executed.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ProbeTaskConfiguration {

	public static final Map<String, String> EXECUTED = Collections.synchronizedMap(new ConcurrentHashMap<>());

	@Bean
	OneTimeTask<String> probeTask() {
		return Tasks.oneTime("ferry-probe", String.class)
			.execute((instance, context) -> EXECUTED.put(instance.getId(), instance.getData()));
	}

}
