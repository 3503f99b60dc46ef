/**
 * The databases Ferry migrates between: connection profiles (JDBC URL, user, the secret
 * encrypted at rest), the test of a connection, table catalogues, and one small pool per
 * connection (read-only for sources). It never renders, returns or logs a secret, and
 * never opens a URL that could run code or touch files other than the database itself.
 */
@ApplicationModule(allowedDependencies = { "problem", "security" })
package dev.ferry.connection;

import org.springframework.modulith.ApplicationModule;
