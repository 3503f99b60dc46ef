package dev.ferry.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.ferry.security.SystemActor;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cutting the newest audit entries and setting the head back, which the store alone
 * allows, is found by the witness kept outside the store (issue 20, finding 3). A context
 * of its own: the test takes entries away from the store for a while.
 */
@FerryAppTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "ferry.audit.witness-file=target/test-data/audit/cut-tail/witness")
class AuditWitnessIntegrationTests {

	static {
		// a witness left by an earlier run of this test saw another (in-memory) store
		org.springframework.util.FileSystemUtils.deleteRecursively(new java.io.File("target/test-data/audit/cut-tail"));
	}

	@Autowired
	AuditService audit;

	@Autowired
	JdbcClient store;

	@Value("${ferry.audit.witness-file}")
	Path witness;

	@Test
	void aCutTailIsFoundAndSoIsAChangedWitness(CapturedOutput output) throws Exception {
		// entries from this context's start (the demo's), and their witness
		assertThat(SystemActor.call(() -> this.audit.verify()).ok()).isTrue();
		long head = this.store.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
		assertThat(head).isGreaterThan(3);
		assertThat(Files.readString(this.witness)).startsWith(head + " ");
		assertThat(output.getAll()).contains("Audit head " + head + " ");

		List<Map<String, Object>> tail = this.store
			.sql("SELECT seq, at, actor, via, action, subject, details, prev_hash, hash FROM audit_log WHERE seq > ? "
					+ "ORDER BY seq")
			.param(head - 3)
			.query()
			.listOfRows();
		String kept = this.store.sql("SELECT hash FROM audit_log WHERE seq = ?")
			.param(head - 3)
			.query(String.class)
			.single();
		// what someone with the store alone can do: the last three entries gone, the head
		// set back
		this.store.sql("DELETE FROM audit_log WHERE seq > ?").param(head - 3).update();
		this.store.sql("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1").params(head - 3, kept).update();
		String witnessed = Files.readString(this.witness);
		try {
			ChainCheck cut = SystemActor.call(() -> this.audit.verify());
			assertThat(cut.ok()).isFalse();
			assertThat(cut.firstBrokenSeq()).isEqualTo(head - 2);
			assertThat(cut.detail()).contains("Entries " + (head - 2) + " to " + head + " are gone");

			// and a witness written by hand to match does not pass for the real one
			Files.writeString(this.witness, (head - 3) + " " + kept + " " + "0".repeat(64) + "\n");
			ChainCheck forged = SystemActor.call(() -> this.audit.verify());
			assertThat(forged.ok()).isFalse();
			assertThat(forged.detail()).contains("its HMAC does not match");
		}
		finally {
			Files.writeString(this.witness, witnessed);
			for (Map<String, Object> row : tail) {
				this.store
					.sql("INSERT INTO audit_log (seq, at, actor, via, action, subject, details, prev_hash, hash) "
							+ "VALUES (:seq, :at, :actor, :via, :action, :subject, :details, :prev_hash, :hash)")
					.paramSource(lowerCase(row))
					.update();
			}
			this.store.sql("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")
				.params(head, lowerCase(tail.get(tail.size() - 1)).get("hash"))
				.update();
		}
		assertThat(SystemActor.call(() -> this.audit.verify()).ok()).as("as it was").isTrue();
	}

	private static Map<String, Object> lowerCase(Map<String, Object> row) {
		Map<String, Object> named = new java.util.HashMap<>();
		row.forEach((column, value) -> named.put(column.toLowerCase(java.util.Locale.ROOT), value));
		return named;
	}

}
