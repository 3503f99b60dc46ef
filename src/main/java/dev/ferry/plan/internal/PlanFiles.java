package dev.ferry.plan.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.plan.InvalidPlanException;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.SavedPlan;
import dev.ferry.security.SystemActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Loads {@code config/plans/*.yaml} at start-up, after the demo workspace has registered
 * its connections: a new or changed file becomes the plan's next version, an unchanged
 * one changes nothing, an invalid one is reported in the log with line and column and
 * skipped.
 */
@Component
@Order(20)
class PlanFiles implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(PlanFiles.class);

	private final PlanService plans;

	private final Path directory;

	PlanFiles(PlanService plans, @Value("${ferry.plans-dir:./config/plans}") Path directory) {
		this.plans = plans;
		this.directory = directory;
	}

	@Override
	public void run(ApplicationArguments args) throws IOException {
		if (!Files.isDirectory(this.directory)) {
			return;
		}
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(this.directory, "*.{yaml,yml}")) {
			stream.forEach(files::add);
		}
		files.sort(null);
		for (Path file : files) {
			load(file);
		}
	}

	private void load(Path file) throws IOException {
		byte[] yaml = Files.readAllBytes(file);
		try {
			SavedPlan saved = SystemActor.call(() -> this.plans.save(null, yaml, PlanOrigin.CONFIG));
			if (saved.created()) {
				log.info("Loaded {}: plan {} version {}", file, saved.plan(), saved.version());
			}
			saved.warnings()
				.forEach(w -> log.warn("{}:{}:{}: {} ({})", file, w.line(), w.column(), w.message(), w.path()));
		}
		catch (InvalidPlanException ex) {
			ex.getCheck()
				.errors()
				.forEach(e -> log.error("{}:{}:{}: {} ({})", file, e.line(), e.column(), e.message(), e.path()));
			log.error("{} was not loaded: it has {} error(s).", file, ex.getCheck().errors().size());
		}
	}

}
