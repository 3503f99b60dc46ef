/**
 * Notifications: webhooks an admin registers (to hosts on the allow-list of http gates,
 * signed with an HMAC of their secret, sealed at rest, in Ferry's JSON or as a
 * Slack-compatible message), told of approvals needed, given and refused, failed runs,
 * gates failing after a dry run, failed verifies, applies and rollbacks done and windows
 * opening with a scheduled apply. Each event becomes one delivery per webhook, written
 * through the event publication registry and sent, with retries and back-off, by a
 * recurring task.
 */
@ApplicationModule(allowedDependencies = { "run", "gate", "window", "plan", "connection", "security", "problem" })
package dev.ferry.notify;

import org.springframework.modulith.ApplicationModule;
