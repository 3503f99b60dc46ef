package dev.ferry.sql;

import java.util.List;

import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.spec.SqlPhase;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sql module alone, its dependencies' services mocked: it plugs into the engine
 * through the engine's interfaces only, as one phase executor.
 */
@Tag("integration")
@ApplicationModuleTest
@ActiveProfiles("test")
class SqlModuleTests {

	@MockitoBean
	PlanService plans;

	@MockitoBean
	ConnectionService connections;

	@Autowired
	List<PhaseExecutor> executors;

	@Test
	void theSqlPhaseIsOneExecutorThatRollsBackOnlyWithARollbackScript() {
		SqlPhase reversible = new SqlPhase("schema", "app", "CREATE TABLE t (id INT)", "DROP TABLE t", false,
				List.of());
		SqlPhase oneWay = new SqlPhase("seed", "app", "INSERT INTO t VALUES (1)", null, false, List.of());
		assertThat(this.executors).singleElement().satisfies(executor -> {
			assertThat(executor.supports(reversible, RunMode.DRY_RUN)).isTrue();
			assertThat(executor.supports(reversible, RunMode.APPLY)).isTrue();
			assertThat(executor.supports(reversible, RunMode.ROLLBACK)).isTrue();
			assertThat(executor.supports(oneWay, RunMode.ROLLBACK)).isFalse();
		});
	}

}
