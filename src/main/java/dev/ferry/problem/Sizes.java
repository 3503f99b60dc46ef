package dev.ferry.problem;

import java.util.Locale;

/** Sizes in the words pages use. */
public final class Sizes {

	private Sizes() {
	}

	/** Bytes as people read them: 0 B, 12.4 KB, 3.1 MB, 1.2 GB. */
	public static String of(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		String[] units = { "KB", "MB", "GB", "TB" };
		double value = bytes;
		int unit = -1;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}

}
