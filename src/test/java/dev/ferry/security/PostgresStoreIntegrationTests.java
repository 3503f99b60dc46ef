package dev.ferry.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.PostgresIntegrationTest;
import dev.ferry.support.ProbeTaskConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Ferry's store on a real PostgreSQL: the same migrations, sign-in and the scheduler. */
class PostgresStoreIntegrationTests extends PostgresIntegrationTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SchedulerClient scheduler;

	@Autowired
	OneTimeTask<String> probeTask;

	@Test
	void theStoreIsPostgresAndEveryMigrationRan() throws java.io.IOException {
		List<String> migrations = new ArrayList<>();
		for (Resource resource : new PathMatchingResourcePatternResolver()
			.getResources("classpath:db/migration/V*__*.sql")) {
			migrations.add(resource.getFilename().substring(1, resource.getFilename().indexOf("__")));
		}
		migrations.sort(java.util.Comparator.comparingInt(Integer::parseInt));
		assertThat(this.jdbc.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL");
		assertThat(this.jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE NOT success")
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc
			.sql("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL AND type = 'SQL' "
					+ "ORDER BY installed_rank")
			.query(String.class)
			.list()).isNotEmpty().containsExactlyElementsOf(migrations);
		// and the one Java migration, which Spring Boot hands to Flyway as a bean
		assertThat(this.jdbc.sql("SELECT version || ' ' || description FROM flyway_schema_history WHERE type = 'JDBC'")
			.query(String.class)
			.list()).containsExactly("31 Change segment text storage");
		assertThat(this.jdbc.sql("SELECT count(*) FROM users").query(Long.class).single()).as("the seven demo users")
			.isEqualTo(7);
	}

	@Test
	void aDemoUserSignsInAndUsesTheConsole() throws Exception {
		MvcResult login = this.mvc.perform(formLogin("/login").user("admin").password(FerryAppTest.DEMO_PASSWORD))
			.andExpect(authenticated().withRoles("ADMIN"))
			.andReturn();
		MockHttpSession session = (MockHttpSession) login.getRequest().getSession(false);
		this.mvc.perform(get("/admin/users").session(session))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(">operator2</a>")));
	}

	@Test
	void theSchedulerRunsTasksThroughTheStore() {
		String id = "pg-" + System.nanoTime();
		this.scheduler.scheduleIfNotExists(this.probeTask.instance(id, "hello from postgres"), Instant.now());
		Await.until(() -> ProbeTaskConfiguration.EXECUTED.containsKey(id), "the probe task to run");
		assertThat(ProbeTaskConfiguration.EXECUTED).containsEntry(id, "hello from postgres");
		assertThat(this.jdbc.sql("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?")
			.param(id)
			.query(Long.class)
			.single()).as("a finished one-time task leaves the table").isZero();
	}

}
