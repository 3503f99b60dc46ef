package dev.ferry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The figures of one {@code -Pbench} JVM: each benchmark adds its section, and
 * {@code target/bench/results.json} is rewritten with the machine and every section so
 * far, so the file always holds this run's figures only.
 */
final class BenchResults {

	/**
	 * {@code results.json}, or {@code results-postgres.json} for the PostgreSQL store.
	 */
	static final Path FILE = FerryBench.BENCH
		.resolve(FerryBench.STORE.equals("h2") ? "results.json" : "results-" + FerryBench.STORE + ".json");

	private static final Map<String, Object> SECTIONS = new LinkedHashMap<>();

	private BenchResults() {
	}

	static synchronized void put(String section, Map<String, Object> figures) {
		SECTIONS.put(section, figures);
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("date", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
		all.put("machine", machine());
		all.put("store", FerryBench.STORE);
		all.putAll(SECTIONS);
		try {
			Files.createDirectories(FILE.getParent());
			Files.writeString(FILE,
					JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n",
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Map<String, Object> machine() {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cores", Runtime.getRuntime().availableProcessors());
		machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
		machine.put("jvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
		machine.put("javaVersion", System.getProperty("java.version"));
		machine.put("javaVm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
		machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		machine.put("garbageCollectors",
				ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
		machine.put("physicalMemoryBytes", physicalMemory());
		return machine;
	}

	private static Object physicalMemory() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getTotalMemorySize();
		}
		return null;
	}

	/** The median of some figures. */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	static double round(double value, int places) {
		double scale = Math.pow(10, places);
		return Math.round(value * scale) / scale;
	}

}
