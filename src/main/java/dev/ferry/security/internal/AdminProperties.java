package dev.ferry.security.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ferry.admin.*}: outside demo mode, the first admin is created from
 * {@code password} ({@code FERRY_ADMIN_PASSWORD}) when the store has no users yet.
 */
@ConfigurationProperties("ferry.admin")
record AdminProperties(@DefaultValue("admin") String username, String password) {

}
