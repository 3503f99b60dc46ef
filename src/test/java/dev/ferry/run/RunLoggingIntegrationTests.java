package dev.ferry.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log: every line written while a run runs names the run ({@code run=12}), lines
 * outside runs do not, and neither a connection password nor an API token ever appears.
 */
@FerryAppTest
@ExtendWith(OutputCaptureExtension.class)
class RunLoggingIntegrationTests {

	static final String PASSWORD = "never-in-the-log-4711";

	@TempDir
	static Path files;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	MockMvc mvc;

	@Test
	void aRunsLinesNameItAndNoSecretIsLogged(CapturedOutput output) throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("logged").toAbsolutePath();
		H2Login.grant(url);
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("logged", url, H2Login.USER, H2Login.PASSWORD, false));
			this.connections.create(new ConnectionCommand("logged-secret", url, "sa", PASSWORD, false));
			this.plans.save(null, """
					plan: logged
					source: logged
					target: logged
					phases:
					  - id: schema
					    kind: sql
					    apply: CREATE TABLE logged_things (id INTEGER)
					    rollback: DROP TABLE logged_things
					gates: []
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		long id = SystemActor.call(() -> this.runs.request("logged", "schema", RunMode.DRY_RUN)).id();
		Await.until(() -> !SystemActor.call(() -> this.runs.get(id)).state().active(), "run #" + id);
		String token = ConsoleSession.makeToken(this.mvc, ConsoleSession.signIn(this.mvc, "operator"), "logged", 30);

		Await.until(() -> output.getOut().contains("Run " + id + " succeeded"), "the run's last line");
		List<String> lines = output.getOut().lines().toList();
		assertThat(lines).filteredOn(line -> line.contains("Run " + id + " "))
			.hasSizeGreaterThanOrEqualTo(2)
			.allSatisfy(line -> assertThat(line).contains("INFO run=" + id + " "));
		assertThat(lines).filteredOn(line -> line.contains("Connection logged-secret created"))
			.singleElement()
			.satisfies(line -> assertThat(line).doesNotContain("run="));
		assertThat(output.getAll()).doesNotContain(PASSWORD).doesNotContain(token);
	}

}
