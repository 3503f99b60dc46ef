package dev.ferry.connection.internal;

import java.time.Instant;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionView;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** A database Ferry connects to; {@code secret} is ciphertext of {@link SecretBox}. */
@Table("connection_profiles")
class ConnectionProfile {

	@Id
	private Long id;

	private String name;

	private ConnectionKind kind;

	private String jdbcUrl;

	private String username;

	private String secret;

	private boolean readOnly;

	private Instant createdAt;

	private Instant updatedAt;

	@Version
	private Long version;

	protected ConnectionProfile() {
	}

	ConnectionProfile(String name, Instant now) {
		this.name = name;
		this.createdAt = now;
		this.updatedAt = now;
	}

	String getName() {
		return this.name;
	}

	ConnectionKind getKind() {
		return this.kind;
	}

	String getJdbcUrl() {
		return this.jdbcUrl;
	}

	String getUsername() {
		return this.username;
	}

	String getSecret() {
		return this.secret;
	}

	boolean isReadOnly() {
		return this.readOnly;
	}

	void describe(ConnectionKind kind, String jdbcUrl, String username, boolean readOnly, Instant now) {
		this.kind = kind;
		this.jdbcUrl = jdbcUrl;
		this.username = username;
		this.readOnly = readOnly;
		this.updatedAt = now;
	}

	void sealSecret(String ciphertext) {
		this.secret = ciphertext;
	}

	ConnectionView view() {
		return new ConnectionView(this.name, this.kind, this.jdbcUrl, this.username, this.readOnly, this.secret != null,
				this.createdAt, this.updatedAt);
	}

}
