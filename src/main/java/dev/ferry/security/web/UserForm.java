package dev.ferry.security.web;

import java.util.EnumSet;
import java.util.Set;

import dev.ferry.security.Role;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

/** The form that creates a user. */
record UserForm(@NotBlank String username, @NotBlank String password, @NotEmpty Set<Role> roles) {

	static UserForm empty() {
		return new UserForm("", "", EnumSet.of(Role.VIEWER));
	}

}
