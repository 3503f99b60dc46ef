package dev.ferry;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.support.AnnotationSupport;

import org.springframework.core.annotation.MergedAnnotations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code ./mvnw test} the fast slice: a test class that starts the application, a
 * child process, PostgreSQL or a browser, directly or through a helper of the tests, must
 * carry one of the tags that send it to Failsafe ({@code integration}, {@code postgres},
 * {@code browser}; {@code benchmark} for the benchmarks), and every {@code *IT} class
 * must carry one, or Failsafe's tag filter would skip it without a word. A Spring test
 * context of any kind counts as heavy too.
 * <p>
 * It reads the compiled test classes' constant pools (the classes and descriptors they
 * name), so it sees what a class really uses, not what its source happens to import.
 */
class TestSlicesTests {

	/** What makes a test heavy: the classes (or packages) whose use starts something. */
	private static final List<String> STARTS = Stream
		.of("org.springframework.boot.SpringApplication", "org.springframework.boot.test.context.SpringBootTest",
				"dev.ferry.FerryApplication", "io.zonky.test.db.postgres.", "java.lang.ProcessBuilder",
				"org.openqa.selenium.")
		// written with dots, so that this class's own constants name none of them
		.map(name -> name.replace('.', '/'))
		.toList();

	/**
	 * Unit tests that name one of {@link #STARTS} without starting anything, with why.
	 */
	private static final Map<String, String> STARTS_NOTHING = Map.of("dev.ferry.ModularityTests".replace('.', '/'),
			"reads the classes of FerryApplication's packages; no context",
			"dev.ferry.DataDirectoryTests".replace('.', '/'),
			"hands a new SpringApplication to an environment post-processor; runs nothing");

	private static final Set<String> SLICE_TAGS = Set.of("integration", "postgres", "browser", "benchmark");

	private static final Pattern DESCRIBED = Pattern.compile("L([A-Za-z0-9_$/]+);");

	private static final Pattern INTERNAL_NAME = Pattern.compile("[A-Za-z0-9_$]+(/[A-Za-z0-9_$]+)+");

	@Test
	void everyTestThatStartsSomethingHeavyIsTaggedForFailsafe() throws Exception {
		Map<String, Set<String>> references = references(testClasses());
		Map<String, String> heavy = heavy(references);
		assertThat(heavy).as("the check found the tests it is about")
			.containsKeys(Stream
				.of("dev.ferry.support.FerryAppTest", "dev.ferry.support.PostgresIntegrationTest",
						"dev.ferry.support.BrowserTest", "dev.ferry.CrashRecoveryIT")
				.map(name -> name.replace('.', '/'))
				.toArray(String[]::new));

		Map<String, String> untagged = new TreeMap<>();
		for (String name : references.keySet()) {
			if (name.contains("$")) {
				continue;
			}
			String simple = name.substring(name.lastIndexOf('/') + 1);
			boolean runByAPlugin = simple.endsWith("Tests") || simple.endsWith("Test") || simple.endsWith("IT");
			Class<?> type = Class.forName(name.replace('/', '.'), false, getClass().getClassLoader());
			if (!runByAPlugin || type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
				continue;
			}
			if (taggedForASlice(name)) {
				continue;
			}
			if (heavy.containsKey(name)) {
				untagged.put(name.replace('/', '.'), heavy.get(name));
			}
			else if (springContext(type) != null) {
				untagged.put(name.replace('/', '.'), "starts a Spring test context (" + springContext(type) + ")");
			}
			else if (simple.endsWith("IT")) {
				untagged.put(name.replace('/', '.'), "an *IT class runs in Failsafe, which runs tagged tests only");
			}
		}
		assertThat(untagged)
			.as("test classes without the tag integration, postgres or browser that would run in ./mvnw test "
					+ "(or not at all), with what makes them heavy")
			.isEmpty();
	}

	@Test
	void theCheckSeesAStartThroughAHelper() {
		Map<String, Set<String>> references = new LinkedHashMap<>();
		references.put("dev/ferry/x/SomeTests", Set.of("dev/ferry/x/Helper", "java/lang/String"));
		references.put("dev/ferry/x/Helper$1", Set.of("dev.ferry.FerryApplication".replace('.', '/')));
		references.put("dev/ferry/x/Helper", Set.of());
		references.put("dev/ferry/x/PlainTests", Set.of("java/util/List"));
		Map<String, String> heavy = heavy(references);
		assertThat(heavy).containsOnlyKeys("dev/ferry/x/SomeTests", "dev/ferry/x/Helper");
		assertThat(heavy.get("dev/ferry/x/SomeTests"))
			.isEqualTo("uses dev.ferry.x.Helper, which uses " + "dev.ferry.FerryApplication");
	}

	/**
	 * The top-level classes that start something, each with why: a class file that names
	 * one of {@link #STARTS}, or names a heavy class of the tests; nested and anonymous
	 * classes count for their top-level class.
	 */
	private static Map<String, String> heavy(Map<String, Set<String>> references) {
		Map<String, Set<String>> byTopLevel = new LinkedHashMap<>();
		references.forEach((name, used) -> {
			// a @Nested class with a tag of its own goes to its slice by itself
			if (!name.contains("$") || !taggedForASlice(name)) {
				byTopLevel.computeIfAbsent(topLevel(name), k -> new HashSet<>()).addAll(used);
			}
		});
		Map<String, String> heavy = new LinkedHashMap<>();
		STARTS_NOTHING.keySet().forEach(byTopLevel::remove);
		byTopLevel.forEach((name, used) -> used.stream()
			.filter(u -> STARTS.stream().anyMatch(u::startsWith))
			.sorted()
			.findFirst()
			.ifPresent(u -> heavy.put(name, "uses " + u.replace('/', '.'))));
		boolean grew = true;
		while (grew) {
			grew = false;
			for (Map.Entry<String, Set<String>> entry : byTopLevel.entrySet()) {
				if (heavy.containsKey(entry.getKey())) {
					continue;
				}
				for (String used : entry.getValue().stream().sorted().toList()) {
					String helper = topLevel(used);
					if (!helper.equals(entry.getKey()) && heavy.containsKey(helper)) {
						heavy.put(entry.getKey(), "uses " + helper.replace('/', '.') + ", which " + heavy.get(helper));
						grew = true;
						break;
					}
				}
			}
		}
		return heavy;
	}

	/**
	 * The annotation that starts a Spring test context for the class
	 * ({@code @SpringBootTest}, {@code @WebMvcTest}, {@code @ApplicationModuleTest}…:
	 * each is meta-annotated with {@code @BootstrapWith}), or null.
	 */
	private static String springContext(Class<?> type) {
		return MergedAnnotations.from(type, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
			.stream()
			.filter(annotation -> annotation.getType()
				.getName()
				.equals("org.springframework.test.context.BootstrapWith"))
			.map(annotation -> annotation.getRoot().getType().getSimpleName())
			.map(name -> "@" + name)
			.findFirst()
			.orElse(null);
	}

	private static boolean taggedForASlice(String name) {
		try {
			Class<?> type = Class.forName(name.replace('/', '.'), false, TestSlicesTests.class.getClassLoader());
			return AnnotationSupport.findRepeatableAnnotations(type, Tag.class)
				.stream()
				.map(Tag::value)
				.anyMatch(SLICE_TAGS::contains);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			// a made-up name of theCheckSeesAStartThroughAHelper
			return false;
		}
	}

	private static String topLevel(String name) {
		int nested = name.indexOf('$');
		return (nested < 0) ? name : name.substring(0, nested);
	}

	private static Path testClasses() throws URISyntaxException {
		return Path.of(TestSlicesTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	/** Every class file of the tests, with the class names its constant pool holds. */
	private static Map<String, Set<String>> references(Path root) throws IOException {
		Map<String, Set<String>> references = new TreeMap<>();
		List<Path> files = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(root)) {
			walk.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
		}
		for (Path file : files) {
			String name = root.relativize(file).toString().replace('\\', '/');
			name = name.substring(0, name.length() - ".class".length());
			try (InputStream in = Files.newInputStream(file)) {
				references.put(name, namesIn(new DataInputStream(in)));
			}
		}
		return references;
	}

	/** The class names of a class file's constant pool (JVMS 4.4). */
	private static Set<String> namesIn(DataInputStream in) throws IOException {
		in.readInt(); // magic
		in.readUnsignedShort(); // minor
		in.readUnsignedShort(); // major
		int count = in.readUnsignedShort();
		Set<String> names = new HashSet<>();
		for (int i = 1; i < count; i++) {
			int tag = in.readUnsignedByte();
			switch (tag) {
				case 1 -> {
					String text = in.readUTF();
					if (INTERNAL_NAME.matcher(text).matches()) {
						names.add(text);
					}
					Matcher described = DESCRIBED.matcher(text);
					while (described.find()) {
						names.add(described.group(1));
					}
				}
				case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
				case 5, 6 -> {
					in.skipBytes(8);
					i++; // takes two entries
				}
				case 7, 8, 16, 19, 20 -> in.skipBytes(2);
				case 15 -> in.skipBytes(3);
				default -> throw new IOException("Unknown constant pool tag " + tag);
			}
		}
		return names;
	}

}
