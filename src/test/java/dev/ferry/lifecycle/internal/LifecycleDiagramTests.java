package dev.ferry.lifecycle.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.ferry.lifecycle.PhaseState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle diagram of {@code docs/architecture.md} is the one the code's transition
 * table draws, and every state appears in that table.
 */
class LifecycleDiagramTests {

	@Test
	void theArchitectureDocumentDrawsTheLifecycleTheCodeHas() throws Exception {
		String doc = Files.readString(Path.of("docs/architecture.md"));
		assertThat(doc).as("docs/architecture.md has the diagram of Transitions.mermaid(); paste it in again")
			.contains("```mermaid\n" + Transitions.mermaid() + "```");
	}

	@Test
	void everyStateIsReachedAndEveryStateButRolledBackIsLeft() {
		for (PhaseState state : PhaseState.values()) {
			assertThat(Transitions.ALL.stream().anyMatch(t -> t.to() == state)).as("reaches " + state).isTrue();
			assertThat(Transitions.ALL.stream().anyMatch(t -> t.from() == state)).as("leaves " + state).isTrue();
		}
	}

	@Test
	void aWriteOutsideTheTableIsRefused() {
		assertThat(Transitions.allowed(PhaseState.APPLIED, "apply-requested", PhaseState.APPLYING)).isFalse();
		assertThat(Transitions.allowed(PhaseState.APPROVED, "apply-requested", PhaseState.APPLYING)).isTrue();
		assertThat(Transitions.allowed(PhaseState.APPLIED, "plan-changed", PhaseState.NOT_RUN)).isFalse();
		assertThat(Transitions.allowed(PhaseState.APPROVED, "plan-changed", PhaseState.NOT_RUN)).isTrue();
	}

}
