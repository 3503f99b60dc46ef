/**
 * Users, roles, sign-in and the HTTP security of the console and the API. Owns the
 * {@code users} and {@code user_roles} tables and the demo and first-admin accounts. It
 * must never hold a password in clear text, nor decide anything about plans or runs:
 * other modules ask it who the current user is and check roles with method security.
 */
@ApplicationModule(allowedDependencies = "problem")
package dev.ferry.security;

import org.springframework.modulith.ApplicationModule;
