package dev.ferry.security.web;

import jakarta.validation.constraints.NotBlank;

/**
 * A new password typed twice; {@code current} is required when users change their own.
 */
record PasswordForm(String current, @NotBlank String password, @NotBlank String confirm) {

	static PasswordForm empty() {
		return new PasswordForm("", "", "");
	}

	boolean confirmed() {
		return this.password != null && this.password.equals(this.confirm);
	}

}
