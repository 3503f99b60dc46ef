package dev.ferry.notify.internal;

import java.util.List;

import dev.ferry.connection.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * At start, seals again with the current {@code FERRY_SECRET_KEY} every webhook secret
 * still sealed with the previous one, as connection secrets are.
 */
@Component
class WebhookSecretRotation implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(WebhookSecretRotation.class);

	private final Secrets secrets;

	private final JdbcClient store;

	WebhookSecretRotation(Secrets secrets, JdbcClient store) {
		this.secrets = secrets;
		this.store = store;
	}

	record Sealed(long id, String secret) {
	}

	@Override
	@Transactional
	public void run(ApplicationArguments args) {
		List<Sealed> sealed = this.store.sql("SELECT id, secret FROM webhooks WHERE secret IS NOT NULL ORDER BY id")
			.query(Sealed.class)
			.list();
		int resealed = 0;
		for (Sealed one : sealed) {
			String owner = StoredWebhooks.owner(one.id());
			if (this.secrets.current(owner, one.secret())) {
				continue;
			}
			try {
				String secret = this.secrets.open(owner, one.secret());
				this.store.sql("UPDATE webhooks SET secret = ? WHERE id = ?")
					.params(this.secrets.seal(owner, secret), one.id())
					.update();
				resealed++;
			}
			catch (RuntimeException ex) {
				log.warn("The secret of webhook {} opens with neither key: type it again.", one.id());
			}
		}
		if (resealed > 0) {
			log.info("Sealed {} webhook secret(s) again with the current FERRY_SECRET_KEY.", resealed);
		}
	}

}
