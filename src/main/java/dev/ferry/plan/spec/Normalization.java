package dev.ferry.plan.spec;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * A normalization of text values, with the name the YAML {@code normalize:} lists use.
 * <p>
 * "Whitespace" here is wider than {@link String#strip()}: besides
 * {@link Character#isWhitespace(int)} it covers every Unicode space separator
 * ({@link Character#isSpaceChar(int)}, so no-break spaces U+00A0, U+2007 and U+202F too),
 * NEL U+0085, the zero-width space U+200B and the byte-order mark U+FEFF, because
 * spreadsheets and web forms leave all of these in exported text.
 */
public enum Normalization {

	/** Removes leading and trailing whitespace. */
	TRIM("trim") {
		@Override
		String applyTo(String text) {
			int start = 0;
			int end = text.length();
			while (start < end && isSpace(text.charAt(start))) {
				start++;
			}
			while (end > start && isSpace(text.charAt(end - 1))) {
				end--;
			}
			return text.substring(start, end);
		}
	},

	/**
	 * Replaces every run of whitespace by one ASCII space, leading and trailing runs
	 * included (removing those is {@link #TRIM}'s job).
	 */
	COLLAPSE_SPACES("collapse-spaces") {
		@Override
		String applyTo(String text) {
			StringBuilder collapsed = null;
			boolean inRun = false;
			for (int i = 0; i < text.length(); i++) {
				char ch = text.charAt(i);
				boolean space = isSpace(ch);
				if (collapsed == null && space && (ch != ' ' || inRun)) {
					// first character that changes: copy what came before it unchanged
					collapsed = new StringBuilder(text.length()).append(text, 0, i - (inRun ? 1 : 0));
					if (inRun) {
						collapsed.append(' ');
					}
				}
				if (collapsed != null) {
					if (!space) {
						collapsed.append(ch);
					}
					else if (!inRun) {
						collapsed.append(' ');
					}
				}
				inRun = space;
			}
			return (collapsed != null) ? collapsed.toString() : text;
		}
	},

	/** Lower-cases with the root locale (no Turkish dotless i surprises). */
	LOWER("lower") {
		@Override
		String applyTo(String text) {
			return text.toLowerCase(Locale.ROOT);
		}
	},

	/** Upper-cases with the root locale; {@code ß} becomes {@code SS}. */
	UPPER("upper") {
		@Override
		String applyTo(String text) {
			return text.toUpperCase(Locale.ROOT);
		}
	},

	/**
	 * Removes accents and other combining marks (after canonical decomposition) and
	 * spells out the Latin letters decomposition leaves alone: {@code ø ł đ ð ħ} become
	 * {@code o l d d h}, {@code æ œ ß þ} become {@code ae oe ss th} (capitals alike:
	 * {@code Æ} is {@code AE}, {@code ẞ} is {@code SS}, {@code Þ} is {@code TH}). The
	 * result is in NFC.
	 */
	STRIP_ACCENTS("strip-accents") {
		@Override
		String applyTo(String text) {
			if (isAscii(text)) {
				return text;
			}
			String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
			StringBuilder stripped = new StringBuilder(decomposed.length());
			for (int i = 0; i < decomposed.length();) {
				int cp = decomposed.codePointAt(i);
				i += Character.charCount(cp);
				if (isMark(cp)) {
					continue;
				}
				String spelled = (cp < 0x2000) ? spelledOut(cp) : ((cp == 0x1E9E) ? "SS" : null);
				if (spelled != null) {
					stripped.append(spelled);
				}
				else {
					stripped.appendCodePoint(cp);
				}
			}
			// decomposition splits more than accents (Hangul syllables): put those back
			return Normalizer.normalize(stripped, Normalizer.Form.NFC);
		}
	},

	/**
	 * Upper-cases (title-cases) a letter that does not follow a letter and lower-cases a
	 * letter that does; a combining mark counts as part of the letter before it. So
	 * {@code o'brien-smith} becomes {@code O'Brien-Smith}, {@code mcDONALD} becomes
	 * {@code Mcdonald} and {@code ÉLAN bleu} becomes {@code Élan Bleu}. The rule is
	 * deliberately simple and predictable: digits and apostrophes end a word too, so
	 * {@code 3rd} becomes {@code 3Rd} and {@code l'été} becomes {@code L'Été}.
	 */
	TITLE_CASE("title-case") {
		@Override
		String applyTo(String text) {
			StringBuilder cased = new StringBuilder(text.length());
			boolean inWord = false;
			for (int i = 0; i < text.length();) {
				int cp = text.codePointAt(i);
				i += Character.charCount(cp);
				if (Character.isLetter(cp)) {
					cased.appendCodePoint(inWord ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
					inWord = true;
				}
				else {
					cased.appendCodePoint(cp);
					inWord = inWord && isMark(cp);
				}
			}
			return cased.toString();
		}
	};

	private final String yamlName;

	Normalization(String yamlName) {
		this.yamlName = yamlName;
	}

	public String yamlName() {
		return this.yamlName;
	}

	/**
	 * Applies this normalization.
	 * @param text the text, may be {@code null}
	 * @return the normalized text, {@code null} for {@code null}
	 */
	public String apply(String text) {
		return (text != null) ? applyTo(text) : null;
	}

	/**
	 * Applies normalizations in order.
	 * @param normalizations the normalizations, first applied first
	 * @param text the text, may be {@code null}
	 * @return the normalized text, {@code null} for {@code null}
	 */
	public static String apply(List<Normalization> normalizations, String text) {
		String result = text;
		for (int i = 0; result != null && i < normalizations.size(); i++) {
			result = normalizations.get(i).applyTo(result);
		}
		return result;
	}

	abstract String applyTo(String text);

	static boolean isSpace(char ch) {
		return Character.isWhitespace(ch) || Character.isSpaceChar(ch) || ch == '\u0085' || ch == '\u200B'
				|| ch == '\uFEFF';
	}

	private static boolean isAscii(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) >= 0x80) {
				return false;
			}
		}
		return true;
	}

	private static boolean isMark(int cp) {
		int type = Character.getType(cp);
		return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
				|| type == Character.COMBINING_SPACING_MARK;
	}

	private static String spelledOut(int cp) {
		return switch (cp) {
			case 'ø' -> "o";
			case 'Ø' -> "O";
			case 'ł' -> "l";
			case 'Ł' -> "L";
			case 'đ', 'ð' -> "d";
			case 'Đ', 'Ð' -> "D";
			case 'ħ' -> "h";
			case 'Ħ' -> "H";
			case 'æ' -> "ae";
			case 'Æ' -> "AE";
			case 'œ' -> "oe";
			case 'Œ' -> "OE";
			case 'ß' -> "ss";
			case 'þ' -> "th";
			case 'Þ' -> "TH";
			default -> null;
		};
	}

}
