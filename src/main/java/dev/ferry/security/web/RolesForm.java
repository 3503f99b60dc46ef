package dev.ferry.security.web;

import java.util.Set;

import dev.ferry.security.Role;

/** The roles an admin grants a user. */
record RolesForm(Set<Role> roles) {

}
