package dev.ferry.preflight;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Checksums of rows that are the same on H2, PostgreSQL and SQLite for the same values:
 * each value is written in one canonical form (numbers without trailing zeros, booleans
 * as 1/0 like SQLite stores them, times in ISO form, bytes in hex), the columns in the
 * order of their lower-cased names. A table's checksum is order-independent: the row
 * count and the sum, modulo 2^64, of the first eight bytes of each row's SHA-256; a
 * query's checksum follows the order of its rows. What a preflight measures, and what an
 * import apply compares before and after its rollback, so the two agree.
 */
public final class RowChecksum {

	private static final char SEPARATOR = '\u001f';

	private final MessageDigest rowDigest = sha256();

	private final MessageDigest orderedDigest = sha256();

	private long sum;

	private long rows;

	public void add(ResultSet rs, int[] order) throws SQLException {
		StringBuilder canonical = new StringBuilder();
		for (int column : order) {
			canonical.append(canonical(rs.getObject(column))).append(SEPARATOR);
		}
		byte[] bytes = canonical.toString().getBytes(StandardCharsets.UTF_8);
		byte[] hash = this.rowDigest.digest(bytes);
		this.sum += ByteBuffer.wrap(hash, 0, 8).getLong();
		this.orderedDigest.update(hash);
		this.rows++;
	}

	public long rows() {
		return this.rows;
	}

	/** The order-independent checksum: {@code <rows>:<sum as 16 hex digits>}. */
	public String unordered() {
		return this.rows + ":" + HexFormat.of().toHexDigits(this.sum);
	}

	/** The checksum of the rows in the order they came. */
	public String ordered() {
		return HexFormat.of().formatHex(this.orderedDigest.digest());
	}

	/** Column positions ordered by lower-cased column name. */
	public static int[] columnOrder(ResultSetMetaData meta) throws SQLException {
		List<String> names = new ArrayList<>();
		for (int i = 1; i <= meta.getColumnCount(); i++) {
			names.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT) + SEPARATOR + i);
		}
		names.sort(null);
		return names.stream().mapToInt(name -> Integer.parseInt(name.substring(name.indexOf(SEPARATOR) + 1))).toArray();
	}

	/**
	 * The columns in the order the query returned them (for query-unchanged baselines).
	 */
	public static int[] naturalOrder(ResultSetMetaData meta) throws SQLException {
		int[] order = new int[meta.getColumnCount()];
		for (int i = 0; i < order.length; i++) {
			order[i] = i + 1;
		}
		return order;
	}

	public static String canonical(Object value) {
		if (value == null) {
			return "\u0000";
		}
		if (value instanceof Boolean bool) {
			return bool ? "1" : "0";
		}
		if (value instanceof BigDecimal decimal) {
			return plain(decimal);
		}
		if (value instanceof Double || value instanceof Float) {
			return plain(BigDecimal.valueOf(((Number) value).doubleValue()));
		}
		if (value instanceof Number number) {
			return plain(new BigDecimal(number.toString()));
		}
		if (value instanceof byte[] bytes) {
			return HexFormat.of().formatHex(bytes);
		}
		if (value instanceof Timestamp timestamp) {
			return timestamp.toLocalDateTime().toString();
		}
		if (value instanceof Date date) {
			return date.toLocalDate().toString();
		}
		if (value instanceof Time time) {
			return time.toLocalTime().toString();
		}
		if (value instanceof OffsetDateTime offset) {
			return offset.toInstant().toString();
		}
		return value.toString();
	}

	private static String plain(BigDecimal decimal) {
		return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
