package dev.ferry.security;

import java.util.Set;

/** The command that creates a user. */
public record NewAccount(String username, String password, Set<Role> roles) {

}
