package dev.ferry.retention.internal;

import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The retention settings as Ferry reads them: a schedule that is off by default, a cron
 * expression with seconds, and words for what cannot be used.
 */
class RetentionSettingsTests {

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "", "  ", "-", " - " })
	void withoutAScheduleTheTaskIsDisabled(String schedule) {
		RetentionProperties settings = new RetentionProperties(null, schedule);
		assertThat(settings.schedule()).isNull();
		RecurringTask<Void> task = new RetentionTaskConfiguration().retentionTask(settings, null);
		assertThat(task.getName()).isEqualTo("ferry-retention");
		assertThat(RetentionTaskConfiguration.schedule(settings).isDisabled()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "0 0 3 * * *", "0 */15 * * * *", " 0 30 2 * * SUN " })
	void aCronExpressionWithSecondsIsTheSchedule(String schedule) {
		CronSchedule cron = RetentionTaskConfiguration.schedule(new RetentionProperties(null, schedule));
		assertThat(cron.isDisabled()).isFalse();
		assertThat(cron.getPattern()).isEqualTo(schedule.strip());
	}

	@ParameterizedTest
	@ValueSource(strings = { "nightly", "0 3 * * *", "61 0 3 * * *" })
	void anythingElseIsRefusedInWords(String schedule) {
		assertThatThrownBy(
				() -> new RetentionTaskConfiguration().retentionTask(new RetentionProperties(null, schedule), null))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("ferry.retention.schedule (FERRY_RETENTION_SCHEDULE) is not a cron expression "
					+ "with seconds, such as 0 0 3 * * * for every night at 3: " + schedule);
	}

	@Test
	void maxAgeMustBePositive() {
		assertThat(new RetentionProperties(Duration.ofDays(90), null).maxAge()).isEqualTo(Duration.ofDays(90));
		assertThat(new RetentionProperties(null, null).maxAge()).isNull();
		for (Duration wrong : new Duration[] { Duration.ZERO, Duration.ofDays(-1) }) {
			assertThatThrownBy(() -> new RetentionProperties(wrong, null)).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("must be a positive duration such as P90D");
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "P90D|90 days", "P1D|1 day", "PT36H|PT36H", "PT720H|30 days" })
	void aMaxAgeInWords(String maxAge, String words) {
		assertThat(StorageSurvey.words(Duration.parse(maxAge))).isEqualTo(words);
	}

}
