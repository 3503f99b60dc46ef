package dev.ferry.security.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ferry.demo.*}: demo mode creates one user per role with a shared password,
 * generated and printed once unless {@code password} ({@code FERRY_DEMO_PASSWORD}) is
 * set.
 */
@ConfigurationProperties("ferry.demo")
record DemoProperties(@DefaultValue("true") boolean enabled, String password) {

}
