package dev.ferry.gate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Queue;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.AccountService;
import dev.ferry.security.NewAccount;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.PeopleTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Approvals of a mapping phase that asks for an operator and an owner: never by the
 * requester (403, also through the API), an apply without them refused with the reasons,
 * a second approval of the same thing refused, a decision after the approvals voids them
 * (and the lock says so), a dry run that is not the latest cannot be approved, and the
 * apply goes through once the latest is approved again.
 */
@FerryAppTest
class ApprovalIntegrationTests {

	@TempDir
	static Path files;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	MappingService mappings;

	@Autowired
	ApprovalService approvals;

	@Autowired
	AccountService accounts;

	@Autowired
	MockMvc mvc;

	@Test
	void anApplyNeedsTheApprovalsOfWhatItApplies() throws Exception {
		databaseAndPlan("approve");
		RunView dryRun = finished(operator(() -> this.runs.request("approve", "map", RunMode.DRY_RUN)));
		assertThat(dryRun.requestedBy()).isEqualTo("operator");

		assertThatThrownBy(() -> operator(() -> this.approvals.approve("approve", "map", dryRun.id(), null)))
			.isInstanceOf(SelfApprovalException.class)
			.hasMessage("You requested dry run #" + dryRun.id() + ": its approval must come from another operator.");
		this.mvc
			.perform(post("/api/v1/plans/approve/phases/map/approvals")
				.with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"runId\": " + dryRun.id() + "}"))
			.andExpect(status().isForbidden());
		assertThatThrownBy(() -> operator(() -> this.runs.request("approve", "map", RunMode.APPLY)))
			.isInstanceOfSatisfying(RefusedException.class, refused -> assertThat(refused.getReasons())
				.containsExactly("Dry run #" + dryRun.id()
						+ " needs 1 operator approval(s) from someone other than operator, who requested it; it has 0.",
						"Dry run #" + dryRun.id() + " needs an owner's sign-off."));

		Approval approved = Actors.approve(this.approvals, "approve", "map", dryRun.id());
		assertThat(approved.asOperator()).isTrue();
		assertThat(approved.asOwner()).isFalse();
		assertThat(approved.valid()).isTrue();
		Approval signed = Actors.as("owner", Role.OWNER,
				() -> this.approvals.approve("approve", "map", dryRun.id(), "the map reads right"));
		assertThat(signed.asOwner()).isTrue();
		assertThat(signed.comment()).isEqualTo("the map reads right");
		assertThat(SystemActor.call(() -> this.runs.applyLocks("approve", "map"))).isEmpty();
		this.mvc.perform(get("/api/v1/plans/approve").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.phases[0].canApply").value(true))
			.andExpect(jsonPath("$.phases[0].approvals.length()").value(2))
			.andExpect(jsonPath("$.phases[0].approvals[1].approvedBy").value("operator2"))
			.andExpect(jsonPath("$.phases[0].approvals[1].valid").value(true));
		assertThatThrownBy(() -> Actors.approve(this.approvals, "approve", "map", dryRun.id()))
			.isInstanceOf(RefusedException.class)
			.hasMessage("You have already approved dry run #" + dryRun.id() + " as it is now.");

		// a reviewer decides after the approvals: both are void, and the lock says why
		MappingItem open = SystemActor
			.call(() -> this.mappings.items("approve", "map", Queue.UNRESOLVED, null, null, 5))
			.items()
			.get(0);
		Actors.as("reviewer", Role.REVIEWER, () -> this.mappings.decide("approve", "map", open.oldKey(),
				new DecisionCommand(MatchStatus.EXCLUDED, null, "not a person", open.version())));
		assertThat(SystemActor.call(() -> this.runs.applyLocks("approve", "map"))).containsExactly(
				"Dry run #" + dryRun.id()
						+ " needs 1 operator approval(s) from someone other than operator, who requested it; it has 0.",
				"Dry run #" + dryRun.id() + " needs an owner's sign-off.",
				"The approval by operator2 is void: the decisions changed after it.",
				"The approval by owner is void: the decisions changed after it.");
		assertThat(SystemActor.call(() -> this.approvals.ofPhase("approve", "map", 10)))
			.allSatisfy(approval -> assertThat(approval.voidReason()).isEqualTo("the decisions changed after it"));
		this.mvc.perform(get("/api/v1/plans/approve").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.phases[0].canApply").value(false))
			.andExpect(jsonPath("$.phases[0].lockedReasons[2]")
				.value("The approval by operator2 is void: the decisions changed after it."))
			.andExpect(jsonPath("$.phases[0].approvals[0].valid").value(false));
		// and the dashboard: Apply disabled, the same reasons listed under it
		String dashboard = this.mvc.perform(get("/plans/approve").session(ConsoleSession.signIn(this.mvc, "operator")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		Matcher applyForm = Pattern.compile("<form[^>]*class=\"apply-form\".*?</form>", Pattern.DOTALL)
			.matcher(dashboard);
		assertThat(applyForm.find()).as("the dashboard has an Apply form").isTrue();
		assertThat(applyForm.group()).containsPattern("<button[^>]*disabled[^>]*>Apply</button>")
			.contains("<li>The approval by operator2 is void: the decisions changed after it.</li>",
					"<li>The approval by owner is void: the decisions changed after it.</li>");

		// a newer dry run: the older one cannot be approved any more
		RunView newer = finished(operator(() -> this.runs.request("approve", "map", RunMode.DRY_RUN)));
		assertThatThrownBy(() -> Actors.approve(this.approvals, "approve", "map", dryRun.id()))
			.isInstanceOf(RefusedException.class)
			.hasMessage("Dry run #" + dryRun.id() + " is not the latest of phase map (#" + newer.id()
					+ " is): only the latest can be approved.");
		Actors.approve(this.approvals, "approve", "map", newer.id());
		Actors.as("owner", Role.OWNER, () -> this.approvals.approve("approve", "map", newer.id(), null));
		RunView apply = finished(operator(() -> this.runs.request("approve", "map", RunMode.APPLY)));
		assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(apply.counts().inserted()).isEqualTo(3);

		// the phase's approvals through the API, a page at a time, newest first
		String page = "/api/v1/plans/approve/phases/map/approvals?limit=3";
		this.mvc.perform(get(page).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items.length()").value(3))
			.andExpect(jsonPath("$.items[0].runId").value(newer.id()))
			// the apply spent it: an approval authorizes one apply
			.andExpect(jsonPath("$.items[0].valid").value(false))
			.andExpect(jsonPath("$.items[0].voidReason")
				.value("it was spent: an approval authorizes one apply (apply #" + apply.id() + ")"))
			.andExpect(jsonPath("$.next").isNotEmpty());
		Approval third = SystemActor.call(() -> this.approvals.ofPhase("approve", "map", 3)).get(2);
		this.mvc.perform(get(page + "&after=" + third.id()).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items.length()").value(1))
			.andExpect(jsonPath("$.items[0].runId").value(dryRun.id()))
			.andExpect(jsonPath("$.items[0].voidReason").value("dry run #" + newer.id() + " is newer"))
			.andExpect(jsonPath("$.next").doesNotExist());
	}

	private void databaseAndPlan(String name) throws Exception {
		String url = "jdbc:h2:file:" + files.resolve(name).toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			PeopleTables.create(s);
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand(name, url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, """
					plan: NAME
					source: NAME
					target: NAME
					approvals: { operators: 1, owner-signoff: true }
					phases:
					MAP
					gates: []
					""".replace("NAME", name).replace("MAP\n", PeopleTables.MAP_PHASE).getBytes(StandardCharsets.UTF_8),
					PlanOrigin.API);
		});
	}

	@Test
	void anApprovalCountsOncePerPersonAndOnlyWhileItsApproverHoldsTheRole() throws Exception {
		databaseAndPlan("approve-once");
		SystemActor.run(() -> {
			this.accounts.create(new NewAccount("olga", "olga-password-1", Set.of(Role.OWNER)));
			this.accounts.create(new NewAccount("pavel", "pavel-password-1", Set.of(Role.OPERATOR)));
		});
		RunView dryRun = finished(operator(() -> this.runs.request("approve-once", "map", RunMode.DRY_RUN)));
		String lead = "Dry run #" + dryRun.id();

		// an admin approves as operator and as owner, but one person counts once
		Approval admin = Actors.as("admin", Role.ADMIN,
				() -> this.approvals.approve("approve-once", "map", dryRun.id(), null));
		assertThat(admin.asOperator()).isTrue();
		assertThat(admin.asOwner()).isTrue();
		assertThat(SystemActor.call(() -> this.runs.applyLocks("approve-once", "map"))).containsExactly(
				lead + " needs an owner's sign-off from someone other than the 1 operator(s) it counts (admin): one "
						+ "person's approval counts once.");
		assertThatThrownBy(() -> operator(() -> this.runs.request("approve-once", "map", RunMode.APPLY)))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("one person's approval counts once");

		// an owner signs off: now two people approved
		Actors.as("olga", Role.OWNER, () -> this.approvals.approve("approve-once", "map", dryRun.id(), null));
		assertThat(SystemActor.call(() -> this.runs.applyLocks("approve-once", "map"))).isEmpty();

		// the owner is disabled: her sign-off no longer counts, and Apply says why
		SystemActor.run(() -> this.accounts.setEnabled("olga", false));
		assertThat(SystemActor.call(() -> this.runs.applyLocks("approve-once", "map"))).containsExactly(
				lead + " needs an owner's sign-off from someone other than the 1 operator(s) it counts (admin): one "
						+ "person's approval counts once.",
				"The sign-off by olga no longer counts: olga is disabled, deleted or no longer an owner.");

		// the phase may be approved again: another operator makes the admin's sign-off
		// count
		Approval pavel = Actors.as("pavel", Role.OPERATOR,
				() -> this.approvals.approve("approve-once", "map", dryRun.id(), null));
		assertThat(pavel.asOperator()).isTrue();
		assertThat(SystemActor.call(() -> this.runs.applyLocks("approve-once", "map"))).isEmpty();

		// the operator loses the role: his approval no longer counts either
		SystemActor.run(() -> this.accounts.changeRoles("pavel", Set.of(Role.VIEWER)));
		assertThat(SystemActor.call(() -> this.runs.applyLocks("approve-once", "map")))
			.contains("The approval by pavel no longer counts: pavel is disabled, deleted or no longer an operator.");

		// the owner enabled again: her sign-off counts again, and the phase is approved
		SystemActor.run(() -> this.accounts.setEnabled("olga", true));
		assertThat(SystemActor.call(() -> this.runs.applyLocks("approve-once", "map"))).isEmpty();
		RunView apply = finished(operator(() -> this.runs.request("approve-once", "map", RunMode.APPLY)));
		assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
	}

	private static <T> T operator(Supplier<T> work) {
		return Actors.as("operator", Role.OPERATOR, work);
	}

	private RunView finished(RunView run) {
		return Await.finished(this.runs, run);
	}

}
