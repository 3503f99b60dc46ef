package dev.ferry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 store's own password, generated once and kept in
 * {@code <data-dir>/store.password} (mode 600), beside {@code secret.key}. It applies to
 * an H2 file store ({@link StoreConfiguration#embeddedH2(String)}) whose configured
 * password is empty; a password the operator set ({@code spring.datasource.password},
 * {@code PASSWORD=} in the URL) and a PostgreSQL store are left alone.
 * <p>
 * A store made before the file existed has user {@code ferry} without a password. At
 * start, a store that refuses the generated password but takes the empty one is given the
 * generated one ({@code ALTER USER ... SET PASSWORD}), in an order that a process killed
 * at any point cannot lose:
 * <ol>
 * <li>the password is written to {@code store.password.new} and forced to disk;</li>
 * <li>the store's password is changed;</li>
 * <li>{@code store.password.new} is renamed to {@code store.password}.</li>
 * </ol>
 * Killed before 2, the next start finds the store still taking the empty password and
 * changes it to the one in {@code store.password.new}; killed before 3, the store takes
 * the password in {@code store.password.new} and the rename is all that is left. A
 * {@code store.password.new} that is not a whole password was cut off before 2 and is
 * replaced. A fresh store goes through the same steps, only without one to change: H2
 * creates it with the password its first login gives. A store that takes no password
 * while {@code store.password} exists (a copy from before it) is given the password in
 * the file.
 */
final class StorePassword {

	static final String FILE = "store.password";

	static final String PENDING = "store.password.new";

	/** H2's error code for a refused login (WRONG_USER_OR_PASSWORD). */
	private static final int REFUSED = 28000;

	/** H2's error code for a missing database opened with IFEXISTS=TRUE. */
	private static final int NO_DATABASE = 90146;

	private static final int BYTES = 32;

	private static final Logger log = LoggerFactory.getLogger(StorePassword.class);

	private StorePassword() {
	}

	/**
	 * Whether the store is an embedded H2 file store without a password of the
	 * operator's, so it gets the generated one.
	 */
	static boolean applies(String url, String configuredPassword) {
		return url != null && StoreConfiguration.embeddedH2(url)
				&& (configuredPassword == null || configuredPassword.isEmpty())
				&& !url.toUpperCase(Locale.ROOT).contains(";PASSWORD=");
	}

	/**
	 * The generated password of the store at {@code url}, created in
	 * {@code dataDir/store.password} when there is none yet and given to an existing
	 * store that has none.
	 * @throws IllegalStateException when the store refuses both the generated password
	 * and none, or cannot be opened
	 */
	static synchronized String password(String url, String user, Path dataDir) {
		Path file = dataDir.resolve(FILE);
		Path pending = dataDir.resolve(PENDING);
		try {
			if (Files.exists(file)) {
				String password = Files.readString(file, StandardCharsets.UTF_8).strip();
				if (password.isEmpty()) {
					throw new IllegalStateException(file + " is empty: put the store's password back into it, or set "
							+ "spring.datasource.password (SPRING_DATASOURCE_PASSWORD) to it");
				}
				if (login(url, user, password, file) == Login.CHANGED) {
					log.info("The embedded store now has a generated password, kept in {}", file);
				}
				Files.deleteIfExists(pending);
				return password;
			}
			String password = whole(pending);
			boolean resumed = password != null;
			if (!resumed) {
				password = generate(dataDir, pending);
			}
			Login login = login(url, user, password, pending);
			Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
			if (login == Login.NO_STORE) {
				log.info("Generated the embedded store's password into {}", file);
			}
			else if (login == Login.CHANGED || resumed) {
				log.info("The embedded store now has a generated password, kept in {}", file);
			}
			return password;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the embedded store's password file " + file, ex);
		}
	}

	private enum Login {

		/** There is no store yet: H2 makes it with the password at its first login. */
		NO_STORE,
		/** The store takes the password. */
		ACCEPTED,
		/** The store had no password and now has this one. */
		CHANGED

	}

	/**
	 * Logs in to the store with the password; a store that refuses it but takes none is
	 * given it.
	 */
	private static Login login(String url, String user, String password, Path file) {
		try (Connection c = connect(url, user, password)) {
			return Login.ACCEPTED;
		}
		catch (SQLException ex) {
			if (ex.getErrorCode() == NO_DATABASE) {
				return Login.NO_STORE;
			}
			if (ex.getErrorCode() != REFUSED) {
				throw new IllegalStateException(
						"Cannot open the embedded store to check its password: " + ex.getMessage(), ex);
			}
		}
		try (Connection c = connect(url, user, "")) {
			String name;
			try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER")) {
				rs.next();
				name = rs.getString(1);
			}
			try (PreparedStatement alter = c
				.prepareStatement("ALTER USER \"" + name.replace("\"", "\"\"") + "\" SET PASSWORD ?")) {
				alter.setString(1, password);
				alter.execute();
			}
			return Login.CHANGED;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("The embedded store refuses user " + user + " with the password in " + file
					+ " and without one: set spring.datasource.password (SPRING_DATASOURCE_PASSWORD) to its password",
					ex);
		}
	}

	/** A connection to the store, only if it exists (unless the URL says otherwise). */
	private static Connection connect(String url, String user, String password) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", (user != null) ? user : "");
		properties.setProperty("password", password);
		if (!url.toUpperCase(Locale.ROOT).contains(";IFEXISTS=")) {
			properties.setProperty("IFEXISTS", "TRUE");
		}
		return DriverManager.getConnection(url, properties);
	}

	/** The password in the file when it holds a whole one; null when not. */
	private static String whole(Path pending) throws IOException {
		try {
			String password = Files.readString(pending, StandardCharsets.UTF_8).strip();
			return (Base64.getDecoder().decode(password).length == BYTES) ? password : null;
		}
		catch (NoSuchFileException | IllegalArgumentException ex) {
			return null;
		}
	}

	private static String generate(Path dataDir, Path pending) throws IOException {
		byte[] bytes = new byte[BYTES];
		new SecureRandom().nextBytes(bytes);
		String password = Base64.getEncoder().encodeToString(bytes);
		Files.deleteIfExists(pending);
		boolean posix = dataDir.getFileSystem().supportedFileAttributeViews().contains("posix");
		if (posix) {
			Files.createDirectories(dataDir,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		else {
			Files.createDirectories(dataDir);
		}
		FileAttribute<?>[] attributes = posix
				? new FileAttribute<?>[] {
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) }
				: new FileAttribute<?>[0];
		try (SeekableByteChannel out = Files.newByteChannel(pending,
				EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC),
				attributes)) {
			out.write(ByteBuffer.wrap(password.getBytes(StandardCharsets.UTF_8)));
		}
		try (FileChannel directory = FileChannel.open(dataDir, StandardOpenOption.READ)) {
			// the file's name too is on disk before the store's password changes
			directory.force(true);
		}
		catch (IOException | UnsupportedOperationException ex) {
			// not every file system lets a directory be opened; the file's content is on
			// disk
		}
		return password;
	}

}
