package dev.ferry.connection.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.ferry.problem.RefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts connection secrets at rest with AES-256-GCM. The key is
 * {@code FERRY_SECRET_KEY} (32 bytes, base64); in demo mode without it, a key file
 * generated once under the data directory. Each ciphertext is bound to its connection's
 * name (associated data), so a secret copied onto another row does not decrypt. Stored
 * form: {@code v1:} + base64(iv ‖ ciphertext).
 * <p>
 * Rotating the key: start with the new key as {@code FERRY_SECRET_KEY} and the old one as
 * {@code FERRY_PREVIOUS_SECRET_KEY}. Secrets still sealed with the old key open with it,
 * and {@link SecretRotation} seals every one of them again with the new key at start;
 * then the old key can go.
 */
@Component
class SecretBox implements dev.ferry.connection.Secrets {

	private static final Logger log = LoggerFactory.getLogger(SecretBox.class);

	private static final String PREFIX = "v1:";

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecretKeySpec key;

	private final SecretKeySpec previous;

	private final SecureRandom random = new SecureRandom();

	SecretBox(@Value("${ferry.secret-key:}") String configuredKey, @Value("${ferry.demo.enabled:true}") boolean demo,
			@Value("${ferry.data-dir:./data}") Path dataDir,
			@Value("${ferry.previous-secret-key:}") String previousKey) {
		this.key = loadKey(configuredKey, demo, dataDir);
		this.previous = (previousKey == null || previousKey.isBlank()) ? null
				: spec(decode(previousKey.trim(), "FERRY_PREVIOUS_SECRET_KEY"));
		if (this.previous != null && this.key == null) {
			throw new IllegalStateException(
					"FERRY_PREVIOUS_SECRET_KEY is set but FERRY_SECRET_KEY is not: set the new key too.");
		}
	}

	/** Whether a previous key is configured, so secrets may need sealing again. */
	boolean rotating() {
		return this.previous != null;
	}

	/** Whether the secret opens with the current key (not only with the previous one). */
	@Override
	public boolean current(String connectionName, String stored) {
		return decrypt(this.key, connectionName, stored) != null;
	}

	boolean ready() {
		return this.key != null;
	}

	@Override
	public String seal(String connectionName, String secret) {
		requireKey();
		try {
			byte[] iv = new byte[IV_BYTES];
			this.random.nextBytes(iv);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(connectionName.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
			byte[] stored = new byte[iv.length + sealed.length];
			System.arraycopy(iv, 0, stored, 0, iv.length);
			System.arraycopy(sealed, 0, stored, iv.length, sealed.length);
			return PREFIX + Base64.getEncoder().encodeToString(stored);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	@Override
	public String open(String connectionName, String stored) {
		requireKey();
		if (stored == null || !stored.startsWith(PREFIX)) {
			throw new RefusedException("connection.secret.unreadable",
					"The stored secret of " + connectionName + " is not in a known format.", connectionName);
		}
		String secret = decrypt(this.key, connectionName, stored);
		if (secret == null && this.previous != null) {
			secret = decrypt(this.previous, connectionName, stored);
		}
		if (secret == null) {
			throw new RefusedException("connection.secret.unreadable",
					"The stored secret of " + connectionName
							+ " cannot be decrypted with the current FERRY_SECRET_KEY; type the password again.",
					connectionName);
		}
		return secret;
	}

	/** The secret, or null when this key does not open it. */
	private static String decrypt(SecretKeySpec key, String connectionName, String stored) {
		if (key == null || stored == null || !stored.startsWith(PREFIX)) {
			return null;
		}
		try {
			byte[] bytes = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
			cipher.updateAAD(connectionName.getBytes(StandardCharsets.UTF_8));
			return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return null;
		}
	}

	private void requireKey() {
		if (this.key == null) {
			throw new RefusedException("connection.secret.noKey",
					"FERRY_SECRET_KEY is not set, so Ferry cannot store or use connection secrets.");
		}
	}

	private static SecretKeySpec loadKey(String configured, boolean demo, Path dataDir) {
		if (configured != null && !configured.isBlank()) {
			return spec(decode(configured.trim(), "FERRY_SECRET_KEY"));
		}
		if (!demo) {
			log.warn("FERRY_SECRET_KEY is not set: connections with a password cannot be saved or used. Generate a "
					+ "key with `openssl rand -base64 32` and set it.");
			return null;
		}
		Path file = dataDir.resolve("secret.key");
		try {
			if (Files.exists(file)) {
				return spec(decode(Files.readString(file).trim(), file.toString()));
			}
			Files.createDirectories(dataDir);
			byte[] key = new byte[32];
			new SecureRandom().nextBytes(key);
			try {
				// private from the first byte: created rw------- rather than changed
				// after
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			catch (UnsupportedOperationException ex) {
				// not a POSIX file system; the data directory's own permissions protect
				// it
				Files.createFile(file);
			}
			Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardOpenOption.TRUNCATE_EXISTING);
			log.info("Demo mode: generated the key that encrypts connection secrets at {}. Set FERRY_SECRET_KEY for "
					+ "real use.", file);
			return spec(key);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the demo secret key " + file, ex);
		}
	}

	private static byte[] decode(String base64, String source) {
		try {
			byte[] key = Base64.getDecoder().decode(base64);
			if (key.length != 32) {
				throw new IllegalStateException(source + " must be 32 bytes in base64 (openssl rand -base64 32), not "
						+ key.length + " bytes.");
			}
			return key;
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(source + " is not base64 (openssl rand -base64 32 makes one).");
		}
	}

	private static SecretKeySpec spec(byte[] key) {
		return new SecretKeySpec(key, "AES");
	}

}
