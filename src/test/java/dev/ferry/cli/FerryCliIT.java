package dev.ferry.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.mapping.MappingService;
import dev.ferry.security.ApiTokenService;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.HoldPhase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line client as a pipeline runs it: the jar {@code ./mvnw verify} built
 * ({@code target/ferry-cli.jar}) started as a child process for each command, with
 * {@code FERRY_URL} and {@code FERRY_TOKEN} only, against Ferry on a random port in demo
 * mode (its own data directory, so the demo databases are fresh). Standard input and
 * output are files, not a terminal, so no output may hold a control character.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(HoldPhase.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class FerryCliIT {

	static final Path JAR = Path.of(System.getProperty("ferry.cli.jar", "target/ferry-cli.jar"));

	/** Anything but a tab and a line feed: a terminal-less run prints none. */
	static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F\\x9B]");

	static final int SOURCE_ROWS = 40;

	static Path data;

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	ApiTokenService tokens;

	@Autowired
	ConnectionService connections;

	@Autowired
	MappingService mappings;

	final JsonMapper json = JsonMapper.builder().build();

	String admin;

	String operator;

	String operator2;

	String reviewer;

	String owner;

	@DynamicPropertySource
	static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
		// a data directory of its own: the demo databases are generated fresh
		data = Files.createTempDirectory("ferry-cli-it");
		registry.add("ferry.data-dir", () -> data.toString());
	}

	@BeforeAll
	void setUp() throws Exception {
		assertThat(JAR).as("the CLI jar ./mvnw package builds").isRegularFile();
		this.admin = token("admin", Role.ADMIN);
		this.operator = token("operator", Role.OPERATOR);
		this.operator2 = token("operator2", Role.OPERATOR);
		this.reviewer = token("reviewer", Role.REVIEWER);
		this.owner = token("owner", Role.OWNER);
		Path source = dir.resolve("source.db");
		Path target = dir.resolve("target.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE stock (id INTEGER PRIMARY KEY, label TEXT, qty INTEGER)");
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO stock VALUES (?, ?, ?)")) {
				for (int id = 1; id <= SOURCE_ROWS; id++) {
					insert.setInt(1, id);
					// one row without the label the plan requires: rejected
					insert.setString(2, id == SOURCE_ROWS ? null : "Part " + id);
					insert.setInt(3, id * 10);
					insert.executeUpdate();
				}
			}
		}
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + target); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE stock (id INTEGER PRIMARY KEY, label TEXT NOT NULL, qty INTEGER)");
			// ids 1-10 are there, 1-5 with another quantity
			s.execute("WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < 10) "
					+ "INSERT INTO stock SELECT id, 'Part ' || id, CASE WHEN id <= 5 THEN 0 ELSE id * 10 END FROM n");
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("cli-source", "jdbc:sqlite:" + source, null, null, true));
			this.connections.create(new ConnectionCommand("cli-target", "jdbc:sqlite:" + target, null, null, false));
		});
	}

	String token(String user, Role role) {
		return SystemActor.callOnBehalfOf(user, role, () -> this.tokens.create("cli-it", null)).secret();
	}

	@Test
	void aPipelinePushesDryRunsIsRefusedUntilApprovedAppliesRollsBackAndVerifiesTheAudit() throws Exception {
		Path plan = write("cli-stock.yaml", """
				plan: cli-stock
				title: Stock into the new shop
				source: cli-source
				target: cli-target
				phases:
				  - id: import
				    kind: import
				    query: SELECT id, label, qty FROM stock
				    table: stock
				    key: [id]
				    columns:
				      id:    { type: integer }
				      label: { required: true }
				      qty:   { type: integer }
				gates: []
				""");
		Result created = ferry(this.admin, "plan", "push", plan.toString());
		assertThat(created.exit()).as(created.toString()).isZero();
		assertThat(created.out()).contains("plan cli-stock created (version 1)");
		Result unchanged = ferry(this.admin, "plan", "push", plan.toString());
		assertThat(unchanged.exit()).as(unchanged.toString()).isZero();
		assertThat(unchanged.out()).isEqualTo(plan + ": plan cli-stock unchanged (version 1)\n");

		// two errors, each where it is, like a compiler; nothing saved
		Path bad = write("cli-bad.yaml", """
				plan: cli-bad
				source: cli-source
				target: cli-target
				phases:
				  - id: import
				    kind: imprt
				    query: SELECT id FROM stock
				    table: stock
				    key: [id]
				gates:
				  - { id: enough, check: row-count, table: target.stock, expect: source.stock, tolerance: many }
				""");
		int manyColumn = Files.readAllLines(bad).get(10).indexOf("many") + 1;
		Result invalid = ferry(this.admin, "plan", "push", bad.toString());
		assertThat(invalid.exit()).as(invalid.toString()).isEqualTo(2);
		List<String> problems = invalid.err().lines().filter(line -> line.startsWith(bad + ":")).toList();
		assertThat(problems).as(invalid.toString()).hasSize(2);
		assertThat(problems.get(0)).startsWith(bad + ":6:11: Unknown phase kind 'imprt'");
		assertThat(problems.get(1)).startsWith(bad + ":11:" + manyColumn + ": Expected a tolerance");
		assertThat(invalid.err()).contains("nothing was saved");
		Result notSaved = ferry(this.admin, "status", "cli-bad");
		assertThat(notSaved.exit()).as(notSaved.toString()).isEqualTo(2);
		Result checked = ferry(this.admin, "plan", "push", "--check", bad.toString());
		assertThat(checked.exit()).isEqualTo(2);
		assertThat(checked.err()).contains(bad + ":6:11: ");

		Result dryRun = ferry(this.operator, "run", "cli-stock", "import", "--dry-run", "--wait");
		assertThat(dryRun.exit()).as(dryRun.toString()).isZero();
		assertThat(dryRun.out()).contains("succeeded")
			.contains("read 40, inserted 29, updated 5, unchanged 5, deleted 0, rejected 1");
		long dryRunId = runId(dryRun.out(), "Dry run");

		Result rejected = ferry(this.operator, "run", "cli-stock", "import", "--dry-run", "--fail-on", "rejected");
		assertThat(rejected.exit()).as(rejected.toString()).isEqualTo(6);
		assertThat(rejected.err()).contains("--fail-on rejected").contains("1 row was rejected").contains("label");
		long latestDryRun = runId(rejected.out(), "Dry run");

		Result refused = ferry(this.operator, "run", "cli-stock", "import", "--apply", "--wait");
		assertThat(refused.exit()).as(refused.toString()).isEqualTo(4);
		assertThat(refused.err()).contains("needs 1 operator approval(s)");

		Result stale = ferry(this.operator2, "approve", "cli-stock", "import", "--run", String.valueOf(dryRunId));
		assertThat(stale.exit()).as("an older dry run: " + stale).isEqualTo(4);
		Result replaced = ferry(this.operator, "await-approval", "cli-stock", "import", "--run",
				String.valueOf(dryRunId));
		assertThat(replaced.exit()).as(replaced.toString()).isEqualTo(4);
		assertThat(replaced.err()).contains("dry run #" + latestDryRun + " is newer");

		// the owner asks for changes: the pipeline's wait ends with exit 4 and the words
		Result rejectedByOwner = ferry(this.owner, "reject", "cli-stock", "import", "--run",
				String.valueOf(latestDryRun), "--comment", "part 40 needs its label first");
		assertThat(rejectedByOwner.exit()).as(rejectedByOwner.toString()).isZero();
		Result changesRequested = ferry(this.operator, "await-approval", "cli-stock", "import", "--run",
				String.valueOf(latestDryRun));
		assertThat(changesRequested.exit()).as(changesRequested.toString()).isEqualTo(4);
		assertThat(changesRequested.err()).contains("owner requested changes to dry run #" + latestDryRun)
			.contains("part 40 needs its label first");

		// a new dry run, approved in the console while the pipeline waits for it
		Result answered = ferry(this.operator, "run", "cli-stock", "import", "--dry-run", "--wait");
		assertThat(answered.exit()).as(answered.toString()).isZero();
		latestDryRun = runId(answered.out(), "Dry run");
		Path out = dir.resolve("await.out");
		Path err = dir.resolve("await.err");
		Process waiting = start(this.operator, out, err, "await-approval", "cli-stock", "import", "--run",
				String.valueOf(latestDryRun), "--timeout", "5m");
		awaitLine(waiting, err, "Waiting for the approval of dry run #" + latestDryRun);
		assertThat(read(err)).contains("needs 1 operator approval(s)");
		Result approved = ferry(this.operator2, "approve", "cli-stock", "import", "--run", String.valueOf(latestDryRun),
				"--comment", "29 new parts, 5 quantities");
		assertThat(approved.exit()).as(approved.toString()).isZero();
		assertThat(approved.out()).contains("approved by operator2 as operator");
		assertThat(waiting.waitFor(2, TimeUnit.MINUTES)).isTrue();
		Result awaited = new Result(waiting.exitValue(), read(out), read(err));
		assertNoControlCharacters(awaited);
		assertThat(awaited.exit()).as(awaited.toString()).isZero();
		assertThat(awaited.out())
			.contains("Dry run #" + latestDryRun + " of cli-stock · import is approved: its apply may start.");

		Result status = ferry(this.operator, "status", "cli-stock", "--json");
		assertThat(status.exit()).isZero();
		JsonNode phase = this.json.readTree(status.out()).path("phases").path(0);
		assertThat(phase.path("state").asString()).isEqualTo("approved");
		assertThat(phase.at("/actions/apply/allowed").asBoolean()).isTrue();

		Result apply = ferry(this.operator, "run", "cli-stock", "import", "--apply", "--wait");
		assertThat(apply.exit()).as(apply.toString()).isZero();
		assertThat(apply.out()).contains("inserted 29, updated 5").contains("(34 rows written)");
		long applyId = runId(apply.out(), "Apply");
		assertThat(count("SELECT count(*) FROM stock")).isEqualTo(39);

		// an import's change set is its dry run's, which the apply replayed
		Result csv = ferry(this.operator, "changes", String.valueOf(latestDryRun), "--op", "update", "--format", "csv");
		assertThat(csv.exit()).as(csv.toString()).isZero();
		assertThat(csv.out().lines()).hasSize(6).first().asString().startsWith("\"seq\",\"table\",\"op\",\"key.id\"");
		Result changes = ferry(this.operator, "changes", String.valueOf(latestDryRun), "--format", "json");
		assertThat(this.json.readTree(changes.out()).valueStream().map(item -> item.path("op").asString()))
			.filteredOn("insert"::equals)
			.hasSize(29);
		Result report = ferry(this.operator, "changes", String.valueOf(latestDryRun));
		assertThat(report.out().lines()).as("the report's CSV: a header and 35 changes").hasSize(36);

		Result rollback = ferry(this.operator, "rollback", String.valueOf(applyId), "--wait");
		assertThat(rollback.exit()).as(rollback.toString()).isZero();
		assertThat(rollback.out()).contains("apply #" + applyId + " is rolled back");
		assertThat(count("SELECT count(*) FROM stock")).isEqualTo(10);
		assertThat(count("SELECT sum(qty) FROM stock WHERE id <= 5")).isZero();

		Result audit = ferry(this.admin, "audit", "verify");
		assertThat(audit.exit()).as(audit.toString()).isZero();
		assertThat(audit.out()).startsWith("The audit log's chain holds:");
		Result auditJson = ferry(this.admin, "audit", "verify", "--json");
		assertThat(this.json.readTree(auditJson.out()).path("ok").asBoolean()).isTrue();
		Result notAdmin = ferry(this.operator, "audit", "verify");
		assertThat(notAdmin.exit()).as(notAdmin.toString()).isEqualTo(3);
		Result unknownToken = ferry("ferry_not-a-token", "status", "cli-stock");
		assertThat(unknownToken.exit()).isEqualTo(3);
		assertThat(unknownToken.err()).contains("The API token is not known.");
	}

	@Test
	void legacyIdentitiesStopsAtTheDuplicatePairsTakesDecisionsFromACsvAndReappliesNothing() throws Exception {
		String plan = "legacy-identities";
		assertThat(ferry(this.operator, "run", plan, "preflight", "--dry-run", "--wait").exit()).isZero();
		assertThat(ferry(this.operator, "run", plan, "schema", "--dry-run", "--wait").exit()).isZero();
		Result schemaStatus = ferry(this.operator, "status", plan, "--json");
		long schemaDryRun = this.json.readTree(schemaStatus.out()).path("phases").path(1).at("/lastDryRun/id").asLong();
		assertThat(ferry(this.operator2, "approve", plan, "schema", "--run", String.valueOf(schemaDryRun)).exit())
			.isZero();
		assertThat(ferry(this.operator, "run", plan, "schema", "--apply", "--wait").exit()).isZero();

		Result conflicts = ferry(this.operator, "run", plan, "map", "--dry-run", "--wait", "--fail-on", "conflicts");
		assertThat(conflicts.exit()).as(conflicts.toString()).isEqualTo(6);
		assertThat(conflicts.out()).contains("auto 274").contains("conflict 8").contains("coverage 91.33%");
		assertThat(conflicts.err()).contains("8 items are in conflict: 4 new records are claimed");
		List<String> pairs = conflicts.err().lines().filter(line -> line.contains(" <- old ")).toList();
		assertThat(pairs).hasSize(4);
		assertThat(pairs.stream().map(line -> line.substring(line.indexOf(" <- old ") + 8))).containsExactly("7, 297",
				"57, 298", "107, 299", "157, 300");

		Path exported = dir.resolve("decisions.csv");
		Result export = ferry(this.reviewer, "decisions", "export", plan, "map", exported.toString());
		assertThat(export.exit()).as(export.toString()).isZero();
		List<String> lines = Files.readAllLines(exported);
		assertThat(lines).hasSize(301);
		assertThat(lines.get(0)).startsWith("old_key,status,new_key,reason,version,computed_status,score,candidates,");

		// someone decides item 13 in the console first: the file's line for it is stale
		SystemActor.callOnBehalfOf("reviewer", Role.REVIEWER,
				() -> this.mappings.decide(plan, "map", "13", new dev.ferry.mapping.DecisionCommand(
						dev.ferry.mapping.MatchStatus.EXCLUDED, null, "decided in the console", 0)));
		JsonNode before = coverage(plan);
		// the four pairs: the first account picks its subject, the duplicate is excluded;
		// the line of 13 (stale) and an old key the dry run does not have are refused
		List<String> pairsFile = new ArrayList<>(List.of(lines.get(0)));
		List<String> rest = new ArrayList<>(List.of(lines.get(0)));
		for (String line : lines.subList(1, lines.size())) {
			String[] cells = line.split(",", -1);
			String key = cells[0];
			String status = cells[1];
			String candidate = cells[7].contains(" (") ? cells[7].substring(0, cells[7].indexOf(" (")) : "";
			if (status.equals("conflict")) {
				pairsFile.add(Integer.parseInt(key) >= 297 ? decision(key, "excluded", "", "duplicate account")
						: decision(key, "manual", candidate, ""));
			}
			else if (key.equals("13")) {
				pairsFile.add(decision(key, "manual", candidate, ""));
			}
			else if (status.equals("ambiguous")) {
				rest.add(decision(key, "manual", candidate, ""));
			}
			else if (status.equals("unresolved")) {
				rest.add(decision(key, "excluded", "", "left before the migration"));
			}
			else {
				rest.add(line);
			}
		}
		pairsFile.add(decision("9999", "manual", "anyone", ""));
		Path first = dir.resolve("pairs.csv");
		Files.write(first, pairsFile);
		Result partly = ferry(this.reviewer, "decisions", "import", plan, "map", first.toString());
		assertThat(partly.exit()).as(partly.toString()).isEqualTo(4);
		assertThat(partly.err()).contains("8 decisions applied, 0 unchanged, 0 without a decision, 2 refused");
		List<String> refusedLines = partly.err().lines().filter(line -> line.contains(first + ":")).toList();
		assertThat(refusedLines).hasSize(2);
		assertThat(refusedLines.get(0)).contains("old key 13: stale:").contains("decided in the console");
		assertThat(refusedLines.get(1)).contains(first + ":11: old key 9999: unknown key");
		JsonNode after = coverage(plan);
		// the dashboard's figures move by the eight good lines exactly
		assertThat(after.path("manual").asLong() - before.path("manual").asLong()).isEqualTo(4);
		assertThat(after.path("excluded").asLong() - before.path("excluded").asLong()).isEqualTo(4);
		assertThat(after.path("conflict").asLong()).isZero();
		assertThat(before.path("open").asLong() - after.path("open").asLong()).isEqualTo(8);
		assertThat(SystemActor.call(() -> this.mappings.item(plan, "map", "13")).decision().reason())
			.isEqualTo("decided in the console");

		Path second = dir.resolve("rest.csv");
		Files.write(second, rest);
		Result restImport = ferry(this.reviewer, "decisions", "import", plan, "map", second.toString());
		assertThat(restImport.exit()).as(restImport.toString()).isZero();
		assertThat(restImport.out()).contains("17 decisions applied, 0 unchanged, 274 without a decision, 0 refused");
		assertThat(coverage(plan).path("open").asLong()).isZero();
		Result again = ferry(this.reviewer, "decisions", "import", plan, "map", second.toString());
		assertThat(again.out()).contains("0 decisions applied, 17 unchanged");

		Result gatesPass = ferry(this.operator, "run", plan, "map", "--dry-run", "--wait", "--fail-on",
				"conflicts,gates");
		assertThat(gatesPass.exit()).as(gatesPass.toString()).isZero();
		long mapDryRun = runId(gatesPass.out(), "Dry run");
		assertThat(ferry(this.operator2, "approve", plan, "map", "--run", String.valueOf(mapDryRun)).exit()).isZero();
		Result apply = ferry(this.operator, "run", plan, "map", "--apply", "--wait");
		assertThat(apply.exit()).as(apply.toString()).isZero();
		assertThat(apply.out()).contains("inserted 283").contains("(283 rows written)");
		long applies = applies(plan);

		Result rerun = ferry(this.operator, "run", plan, "map", "--apply", "--wait");
		assertThat(rerun.exit()).as(rerun.toString()).isZero();
		assertThat(rerun.out()).contains("is applied: apply #" + runId(apply.out(), "Apply"))
			.contains("Nothing to do: 0 rows written.");
		assertThat(applies(plan)).as("no apply requested again").isEqualTo(applies);
	}

	@Test
	void aRunThatIsAlreadyActiveIsAttachedToAndWaitingMayTimeOut() throws Exception {
		Path plan = write("cli-hold.yaml", """
				plan: cli-hold
				source: cli-source
				target: cli-target
				phases:
				  - id: hold
				    kind: preflight
				    count: [source.stock]
				gates: []
				""");
		assertThat(ferry(this.admin, "plan", "push", plan.toString()).exit()).isZero();
		HoldPhase.hold();
		try {
			Result requested = ferry(this.operator, "run", "cli-hold", "hold", "--dry-run", "--json");
			assertThat(requested.exit()).as(requested.toString()).isZero();
			long id = this.json.readTree(requested.out()).path("runId").asLong();

			Result timedOut = ferry(this.operator, "run", "cli-hold", "hold", "--dry-run", "--wait", "--timeout", "2s");
			assertThat(timedOut.exit()).as(timedOut.toString()).isEqualTo(7);
			assertThat(timedOut.err()).contains("Attaching to dry run #" + id)
				.contains("Timed out after 2 s waiting for dry run #" + id)
				.contains("it goes on in Ferry");

			Path out = dir.resolve("attach.out");
			Path err = dir.resolve("attach.err");
			Process attached = start(this.operator, out, err, "run", "cli-hold", "hold", "--dry-run", "--wait");
			// released once the second client says it attached, not after a guess of time
			awaitLine(attached, err, "Attaching to dry run #" + id);
			HoldPhase.release();
			assertThat(attached.waitFor(2, TimeUnit.MINUTES)).isTrue();
			Result result = new Result(attached.exitValue(), read(out), read(err));
			assertThat(result.exit()).as(result.toString()).isZero();
			assertThat(result.out()).contains("Dry run #" + id + " of cli-hold · hold succeeded");
			assertNoControlCharacters(result);
		}
		finally {
			HoldPhase.release();
		}
	}

	@Test
	void usageMistakesExitTwoAndSayWhy() throws Exception {
		Result noMode = ferry(this.operator, "run", "cli-stock", "import");
		assertThat(noMode.exit()).isEqualTo(2);
		assertThat(noMode.err()).contains("(--dry-run | --apply)");
		Result badFailOn = ferry(this.operator, "run", "legacy-identities", "map", "--dry-run", "--fail-on", "typos");
		assertThat(badFailOn.exit()).isEqualTo(2);
		assertThat(badFailOn.err()).contains("conflicts, rejected, gates");
		Result unknownPhase = ferry(this.operator, "run", "legacy-identities", "mapp", "--dry-run");
		assertThat(unknownPhase.exit()).isEqualTo(2);
		assertThat(unknownPhase.err()).contains("has no phase mapp; its phases: preflight, schema, map, verify");
		Result noToken = ferry("", "status", "legacy-identities");
		assertThat(noToken.exit()).isEqualTo(3);
		assertThat(noToken.err()).contains("No API token");
	}

	/** Until the running client has written the words (or ended). */
	static void awaitLine(Process process, Path err, String words) {
		Await.until(() -> contains(err, words) || !process.isAlive(), "the client writing: " + words);
		assertThat(contains(err, words)).as("the client ended without writing: " + words).isTrue();
	}

	static boolean contains(Path file, String words) {
		try {
			return read(file).contains(words);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	static String decision(String key, String status, String newKey, String reason) {
		// version 0: what the export said before anyone decided
		return key + "," + status + "," + newKey + "," + reason + ",0";
	}

	JsonNode coverage(String plan) {
		return this.json.readTree(http(this.reviewer, "/api/v1/plans/" + plan + "/phases/map/mapping/coverage"));
	}

	long applies(String plan) {
		JsonNode runs = this.json.readTree(http(this.operator, "/api/v1/plans/" + plan + "/runs?limit=100"));
		return runs.path("items").valueStream().filter(run -> run.path("mode").asString().equals("apply")).count();
	}

	String http(String token, String path) {
		try {
			java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + this.port + path))
					.header("Authorization", "Bearer " + token)
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
			return response.body();
		}
		catch (IOException | InterruptedException ex) {
			throw new AssertionError(ex);
		}
	}

	long count(String sql) throws Exception {
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("target.db"));
				Statement s = c.createStatement();
				ResultSet rows = s.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	static long runId(String out, String what) {
		Matcher matcher = Pattern.compile(what + " #(\\d+) ").matcher(out);
		assertThat(matcher.find()).as(what + " in: " + out).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	Path write(String name, String text) throws IOException {
		return Files.writeString(dir.resolve(name), text);
	}

	/** Runs the CLI jar to its end; every output is checked for control characters. */
	Result ferry(String token, String... args) {
		try {
			Path out = Files.createTempFile(dir, "out", ".txt");
			Path err = Files.createTempFile(dir, "err", ".txt");
			Process process = start(token, out, err, args);
			assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("ferry " + String.join(" ", args) + " ended").isTrue();
			Result result = new Result(process.exitValue(), read(out), read(err));
			assertNoControlCharacters(result);
			return result;
		}
		catch (IOException | InterruptedException ex) {
			throw new AssertionError(ex);
		}
	}

	Process start(String token, Path out, Path err, String... args) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
						"-jar", JAR.toAbsolutePath().toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
		builder.environment().put("FERRY_URL", "http://localhost:" + this.port);
		builder.environment().put("FERRY_TOKEN", token);
		// the test's scheduler polls every second; the client asks five times as often
		builder.environment().put("FERRY_POLL", "200ms");
		return builder.start();
	}

	static String read(Path file) throws IOException {
		return Files.readString(file, StandardCharsets.UTF_8);
	}

	static void assertNoControlCharacters(Result result) {
		assertThat(CONTROL.matcher(result.out()).find()).as("control characters in %s", result).isFalse();
		assertThat(CONTROL.matcher(result.err()).find()).as("control characters in %s", result).isFalse();
	}

	record Result(int exit, String out, String err) {

		@Override
		public String toString() {
			return "exit " + this.exit + "\n--- out\n" + this.out + "--- err\n" + this.err;
		}

	}

}
