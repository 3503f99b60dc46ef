package dev.ferry.connection.internal;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * At start, while {@code FERRY_PREVIOUS_SECRET_KEY} is set: every connection secret that
 * only the previous key opens is sealed again with {@code FERRY_SECRET_KEY}, in one
 * transaction, and the log says when the previous key may be removed. Several instances
 * starting at once each write valid ciphertext of the new key, so it does not matter
 * which wins.
 */
@Component
class SecretRotation implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(SecretRotation.class);

	private final SecretBox box;

	private final JdbcClient store;

	SecretRotation(SecretBox box, JdbcClient store) {
		this.box = box;
		this.store = store;
	}

	record Sealed(String name, String secret) {
	}

	@Override
	@Transactional
	public void run(ApplicationArguments args) {
		if (!this.box.rotating()) {
			return;
		}
		List<Sealed> secrets = this.store
			.sql("SELECT name, secret FROM connection_profiles WHERE secret IS NOT NULL ORDER BY name")
			.query(Sealed.class)
			.list();
		int resealed = 0;
		int unreadable = 0;
		for (Sealed sealed : secrets) {
			if (this.box.current(sealed.name(), sealed.secret())) {
				continue;
			}
			String secret;
			try {
				secret = this.box.open(sealed.name(), sealed.secret());
			}
			catch (RuntimeException ex) {
				unreadable++;
				log.warn("The secret of connection {} opens with neither key: type its password again.", sealed.name());
				continue;
			}
			this.store.sql("UPDATE connection_profiles SET secret = ?, version = version + 1 WHERE name = ?")
				.params(this.box.seal(sealed.name(), secret), sealed.name())
				.update();
			resealed++;
		}
		log.info(
				"Key rotation: sealed {} connection secret(s) again with FERRY_SECRET_KEY ({} already were{}). "
						+ "Remove FERRY_PREVIOUS_SECRET_KEY once every instance runs with the new key.",
				resealed, secrets.size() - resealed - unreadable,
				unreadable == 0 ? "" : ", " + unreadable + " unreadable");
	}

}
