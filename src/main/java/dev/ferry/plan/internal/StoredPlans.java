package dev.ferry.plan.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.plan.DiffLine;
import dev.ferry.plan.InvalidPlanException;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanSaved;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanSummary;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.PlanVersionInfo;
import dev.ferry.plan.SaveEffects;
import dev.ferry.plan.SavedPlan;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.PlanCheck;
import dev.ferry.plan.spec.PlanProblem;
import dev.ferry.plan.spec.PlanReader;
import dev.ferry.plan.spec.PlanSpec;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Plans as immutable versions in Ferry's store. */
@Service
class StoredPlans implements PlanService {

	private static final Logger log = LoggerFactory.getLogger(StoredPlans.class);

	private static final Pattern PLAN_KEY = Pattern.compile("(?m)^plan[ \\t]*:");

	private final PlanVersionRows rows;

	private final ConnectionsEnvironment environment;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	/** Parsed plan texts by their sha256, the most recently used 256. */
	private final java.util.Map<String, PlanSpec> parsed = java.util.Collections
		.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(java.util.Map.Entry<String, PlanSpec> eldest) {
				return size() > 256;
			}
		});

	/** The modules that keep state per phase, asked what a save voids. */
	private final ObjectProvider<SaveEffects.Counter> counters;

	StoredPlans(PlanVersionRows rows, ConnectionsEnvironment environment, ApplicationEventPublisher events, Clock clock,
			ObjectProvider<SaveEffects.Counter> counters) {
		this.counters = counters;
		this.rows = rows;
		this.environment = environment;
		this.events = events;
		this.clock = clock;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<PlanSummary> list() {
		return this.rows.latestOfEach();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public PlanVersion latest(String plan) {
		int version = this.rows.latestVersion(plan).orElseThrow(() -> notFound(plan));
		return version(plan, version);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public PlanVersion version(String plan, int version) {
		PlanVersionRows.Row row = this.rows.find(plan, version)
			.orElseThrow(() -> new NotFoundException("plan.versionNotFound",
					"Plan " + plan + " has no version " + version + ".", plan, version));
		PlanVersionInfo info = row.info();
		// a version never changes: its text is read once (pages and checks ask for it
		// often)
		PlanSpec spec = this.parsed.computeIfAbsent(info.sha256(),
				sha -> PlanReader.read(row.yaml().getBytes(StandardCharsets.UTF_8), ConnectionsEnvironment.stored())
					.spec());
		return new PlanVersion(info.plan(), info.version(), info.title(), row.yaml(), info.sha256(), info.savedBy(),
				info.savedAt(), info.origin(), spec);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<PlanVersionInfo> history(String plan) {
		List<PlanVersionInfo> history = this.rows.history(plan);
		if (history.isEmpty()) {
			throw notFound(plan);
		}
		return history;
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public PlanCheck check(byte[] yaml) {
		return PlanReader.read(yaml, this.environment);
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public SavedPlan save(String expectedPlan, byte[] yaml, PlanOrigin origin) {
		PlanCheck check = PlanReader.read(yaml, this.environment);
		if (!check.valid()) {
			throw new InvalidPlanException(check);
		}
		String text = normalized(yaml);
		String plan = check.spec().plan();
		if (expectedPlan != null && !expectedPlan.equals(plan)) {
			throw new InvalidPlanException(new PlanCheck(null,
					List.of(new PlanProblem(planKeyLine(text), 1, "plan",
							"The plan declares the id '" + plan + "' but is saved as '" + expectedPlan + "'.")),
					List.of()));
		}
		String sha256 = sha256(text);
		Integer latest = this.rows.latestVersion(plan).orElse(null);
		if (latest != null && this.rows.find(plan, latest).orElseThrow().info().sha256().equals(sha256)) {
			return new SavedPlan(plan, latest, sha256, false, check.warnings(), SaveEffects.NONE);
		}
		SaveEffects effects = (latest == null) ? SaveEffects.NONE : effects(version(plan, latest), check.spec());
		int version = latest == null ? 1 : latest + 1;
		String savedBy = CurrentUser.get().map(CurrentUser::username).orElse("unknown");
		try {
			this.rows.insert(new PlanVersionInfo(plan, version, check.spec().title(), sha256, savedBy,
					this.clock.instant(), origin), text);
		}
		catch (DuplicateKeyException ex) {
			throw new RefusedException("plan.concurrentSave",
					"Plan " + plan + " was saved by someone else at the same moment; reload and save again.", plan);
		}
		List<String> changed = (latest == null) ? check.spec().phases().stream().map(PhaseSpec::id).toList()
				: effects.changed();
		this.events.publishEvent(new PlanSaved(plan, version, sha256, savedBy, origin, changed));
		log.info("Plan {} version {} saved by {} ({}), sha256 {}{}", plan, version, savedBy, origin.code(), sha256,
				(latest == null) ? "" : "; " + effects.sentence());
		return new SavedPlan(plan, version, sha256, true, check.warnings(), effects);
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional(readOnly = true)
	public SaveEffects effects(byte[] yaml) {
		PlanCheck check = PlanReader.read(yaml, this.environment);
		if (!check.valid()) {
			return SaveEffects.NONE;
		}
		String text = normalized(yaml);
		Integer latest = this.rows.latestVersion(check.spec().plan()).orElse(null);
		if (latest == null) {
			return SaveEffects.NONE;
		}
		PlanVersion current = version(check.spec().plan(), latest);
		if (current.sha256().equals(sha256(text))) {
			return SaveEffects.NONE;
		}
		return effects(current, check.spec());
	}

	/** What saving {@code next} over {@code current} voids, counted by each module. */
	private SaveEffects effects(PlanVersion current, PlanSpec next) {
		List<String> changed = next.changedSince(current.spec());
		List<String> kept = next.phases().stream().map(PhaseSpec::id).filter(id -> !changed.contains(id)).toList();
		SaveEffects.Tally tally = new SaveEffects.Tally();
		List<String> present = changed.stream()
			.filter(id -> current.spec() != null && current.spec().phase(id).isPresent())
			.toList();
		if (!present.isEmpty()) {
			this.counters.orderedStream().forEach(counter -> counter.count(current, present, tally));
		}
		return new SaveEffects(changed, kept, tally.voided());
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<DiffLine> diff(String plan, int from, int to) {
		String older = this.rows.find(plan, from).orElseThrow(() -> versionNotFound(plan, from)).yaml();
		String newer = this.rows.find(plan, to).orElseThrow(() -> versionNotFound(plan, to)).yaml();
		return LineDiff.of(older, newer);
	}

	/**
	 * The text as stored and hashed: UTF-8 without a byte-order mark, lines ending in LF,
	 * so the same plan pasted from a browser (CRLF) or sent by a script (LF) is the same
	 * version.
	 */
	static String normalized(byte[] yaml) {
		String text = new String(yaml, StandardCharsets.UTF_8);
		if (text.startsWith("\uFEFF")) {
			text = text.substring(1);
		}
		return text.replace("\r\n", "\n").replace('\r', '\n');
	}

	static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int planKeyLine(String text) {
		Matcher matcher = PLAN_KEY.matcher(text);
		return matcher.find() ? (int) text.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 1 : 1;
	}

	private static NotFoundException notFound(String plan) {
		return new NotFoundException("plan.notFound", "No plan is named " + plan + ".", plan);
	}

	private static NotFoundException versionNotFound(String plan, int version) {
		return new NotFoundException("plan.versionNotFound", "Plan " + plan + " has no version " + version + ".", plan,
				version);
	}

}
