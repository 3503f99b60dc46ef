package dev.ferry.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people type them: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d} or ISO
 * {@code PT1H30M}.
 */
final class Durations implements ITypeConverter<Duration> {

	private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

	@Override
	public Duration convert(String value) {
		String text = value.strip().toLowerCase(Locale.ROOT);
		Matcher matcher = SHORT.matcher(text);
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			Duration duration = switch (matcher.group(2)) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
			return positive(value, duration);
		}
		try {
			return positive(value, Duration.parse(value.strip().toUpperCase(Locale.ROOT)));
		}
		catch (DateTimeParseException ex) {
			throw new TypeConversionException("'" + value + "' is not a duration: write 90s, 30m, 2h, 1d or PT1H30M.");
		}
	}

	private static Duration positive(String value, Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			throw new TypeConversionException("'" + value + "' is not a duration longer than zero.");
		}
		return duration;
	}

	/** A duration in words: {@code 1 h 05 min}, {@code 3 min 07 s}, {@code 12 s}. */
	static String words(Duration duration) {
		long seconds = Math.max(0, duration.toSeconds());
		if (seconds >= 3600) {
			return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
		}
		if (seconds >= 60) {
			return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
		}
		return seconds + " s";
	}

}
