package dev.ferry.connection.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import dev.ferry.problem.RefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SecretBoxTests {

	static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

	@TempDir
	Path dir;

	@Test
	void sealsAndOpensWithoutKeepingThePlaintext() {
		SecretBox box = new SecretBox(KEY, false, this.dir, null);
		String sealed = box.seal("app", "hunter2-secret");
		assertThat(sealed).startsWith("v1:").doesNotContain("hunter2");
		assertThat(box.seal("app", "hunter2-secret")).as("a fresh nonce each time").isNotEqualTo(sealed);
		assertThat(box.open("app", sealed)).isEqualTo("hunter2-secret");
	}

	@Test
	void aSecretIsBoundToItsConnection() {
		SecretBox box = new SecretBox(KEY, false, this.dir, null);
		String sealed = box.seal("app", "hunter2-secret");
		assertThatExceptionOfType(RefusedException.class).isThrownBy(() -> box.open("other", sealed))
			.withMessageContaining("cannot be decrypted");
	}

	@Test
	void afterARotationTheOldKeyStillOpensWhatItSealedUntilSealedAgain() {
		String sealed = new SecretBox(KEY, false, this.dir, null).seal("app", "hunter2-secret");
		byte[] fresh = new byte[32];
		fresh[31] = 7;
		String newKey = Base64.getEncoder().encodeToString(fresh);
		SecretBox rotating = new SecretBox(newKey, false, this.dir, KEY);
		assertThat(rotating.rotating()).isTrue();
		assertThat(rotating.current("app", sealed)).as("sealed with the old key").isFalse();
		assertThat(rotating.open("app", sealed)).isEqualTo("hunter2-secret");
		String resealed = rotating.seal("app", rotating.open("app", sealed));
		assertThat(rotating.current("app", resealed)).isTrue();
		// once the old key is gone, only what was sealed again opens
		SecretBox rotated = new SecretBox(newKey, false, this.dir, null);
		assertThat(rotated.open("app", resealed)).isEqualTo("hunter2-secret");
		assertThatExceptionOfType(RefusedException.class).isThrownBy(() -> rotated.open("app", sealed));
	}

	@Test
	void aPreviousKeyNeedsANewOne() {
		assertThatIllegalStateException().isThrownBy(() -> new SecretBox("", false, this.dir, KEY))
			.withMessageContaining("FERRY_SECRET_KEY is not");
	}

	@Test
	void anotherKeyCannotOpenIt() {
		String sealed = new SecretBox(KEY, false, this.dir, null).seal("app", "hunter2-secret");
		byte[] other = new byte[32];
		other[0] = 1;
		SecretBox box = new SecretBox(Base64.getEncoder().encodeToString(other), false, this.dir, null);
		assertThatExceptionOfType(RefusedException.class).isThrownBy(() -> box.open("app", sealed));
	}

	@Test
	void demoModeGeneratesAKeyFileOnceAndReusesIt() throws Exception {
		String sealed = new SecretBox("", true, this.dir, null).seal("app", "hunter2-secret");
		assertThat(Files.readString(this.dir.resolve("secret.key"))).isNotBlank();
		assertThat(java.nio.file.attribute.PosixFilePermissions
			.toString(Files.getPosixFilePermissions(this.dir.resolve("secret.key")))).isEqualTo("rw-------");
		assertThat(new SecretBox("", true, this.dir, null).open("app", sealed)).isEqualTo("hunter2-secret");
	}

	@Test
	void withoutAKeyOutsideDemoModeSecretsAreRefusedInWords() {
		SecretBox box = new SecretBox("", false, this.dir, null);
		assertThat(box.ready()).isFalse();
		assertThatExceptionOfType(RefusedException.class).isThrownBy(() -> box.seal("app", "x"))
			.withMessageContaining("FERRY_SECRET_KEY is not set");
		assertThat(this.dir.resolve("secret.key")).doesNotExist();
	}

	@Test
	void aMalformedKeyStopsStartUpWithTheReason() {
		assertThatIllegalStateException().isThrownBy(() -> new SecretBox("c2hvcnQ=", false, this.dir, null))
			.withMessageContaining("32 bytes");
	}

}
