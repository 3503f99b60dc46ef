/**
 * {@code ferry}, the command-line client for pipelines (docs/cli.md): a runnable jar of
 * its own ({@code target/ferry-cli.jar}) that talks only to the public {@code /api/v1}
 * with a token, through the JDK's HTTP client. It depends on no other module of the
 * application: it is built from this package alone, with picocli, Jackson and Commons
 * CSV.
 */
package dev.ferry.cli;
