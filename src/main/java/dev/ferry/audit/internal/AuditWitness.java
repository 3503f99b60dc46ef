package dev.ferry.audit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The audit log's head kept outside the store, so that cutting the newest entries and
 * setting the head back (all of which the store alone allows) is seen: after each append
 * is committed, its sequence number and hash are written, with an HMAC under a key that
 * is not in the store, to a witness file in the data directory, and to the log. Only a
 * newer head replaces the file (instances sharing the data directory take a file lock).
 */
@Component
class AuditWitness {

	private static final Logger log = LoggerFactory.getLogger(AuditWitness.class);

	private final Path file;

	private final SecretKeySpec key;

	AuditWitness(@Value("${ferry.audit.witness-file:${ferry.data-dir:./data}/audit-witness}") Path file,
			@Value("${ferry.audit.witness-key:}") String configuredKey) {
		this.file = file.toAbsolutePath().normalize();
		this.key = new SecretKeySpec(key(configuredKey, this.file.resolveSibling(this.file.getFileName() + ".key")),
				"HmacSHA256");
	}

	/** The head the witness saw last. */
	record Head(long seq, String hash, boolean authentic) {
	}

	/**
	 * Threads of this process take turns (a file lock is the process's: a second one in
	 * the same process is refused, not waited for); other instances are kept out by the
	 * file lock.
	 */
	private static final Object IN_PROCESS = new Object();

	/**
	 * Records a committed head, unless the witness has seen a newer one. Never throws:
	 * the entry is committed already, and a witness that could not be written is a
	 * warning.
	 */
	void saw(long seq, String hash) {
		log.info("Audit head {} {}", seq, hash);
		synchronized (IN_PROCESS) {
			write(seq, hash);
		}
	}

	private void write(long seq, String hash) {
		try {
			Files.createDirectories(this.file.getParent());
			Path lock = this.file.resolveSibling(this.file.getFileName() + ".lock");
			try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
					FileLock held = channel.lock()) {
				Optional<Head> seen = read();
				if (seen.isPresent() && seen.get().authentic() && seen.get().seq() >= seq) {
					return;
				}
				Path next = this.file.resolveSibling(this.file.getFileName() + ".next");
				Files.writeString(next, seq + " " + hash + " " + mac(seq, hash) + "\n", StandardCharsets.UTF_8);
				private600(next);
				try {
					Files.move(next, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				}
				catch (AtomicMoveNotSupportedException ex) {
					Files.move(next, this.file, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Could not write the audit witness {}: {}", this.file, ex.toString());
		}
	}

	/** The head the witness saw, if it has seen one. */
	Optional<Head> read() {
		if (!Files.exists(this.file)) {
			return Optional.empty();
		}
		try {
			String[] parts = Files.readString(this.file, StandardCharsets.UTF_8).trim().split(" ");
			if (parts.length != 3) {
				return Optional.of(new Head(-1, "", false));
			}
			long seq = Long.parseLong(parts[0]);
			boolean authentic = MessageDigest.isEqual(mac(seq, parts[1]).getBytes(StandardCharsets.US_ASCII),
					parts[2].getBytes(StandardCharsets.US_ASCII));
			return Optional.of(new Head(seq, parts[1], authentic));
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.of(new Head(-1, "", false));
		}
	}

	Path file() {
		return this.file;
	}

	private String mac(long seq, String hash) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return HexFormat.of().formatHex(mac.doFinal((seq + " " + hash).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The configured key, or one kept beside the witness (made once, readable by Ferry
	 * alone).
	 */
	private static byte[] key(String configured, Path keyFile) {
		if (configured != null && !configured.isBlank()) {
			return Base64.getDecoder().decode(configured.trim());
		}
		try {
			if (Files.exists(keyFile)) {
				return Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).trim());
			}
			Files.createDirectories(keyFile.getParent());
			byte[] key = new byte[32];
			new SecureRandom().nextBytes(key);
			Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
			private600(keyFile);
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or make the audit witness key " + keyFile, ex);
		}
	}

	private static void private600(Path file) throws IOException {
		if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
	}

}
