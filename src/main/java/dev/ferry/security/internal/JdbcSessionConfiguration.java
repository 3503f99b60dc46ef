package dev.ferry.security.internal;

import java.time.Duration;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * Console sessions in Ferry's store ({@code ferry.sessions: jdbc}, the default): a user
 * signed in through one instance is served by any other on the same store, and a restart
 * signs nobody out. The tables are created by Flyway (V16); a session lasts
 * {@code server.servlet.session.timeout} (30 minutes) without a request. With
 * {@code ferry.sessions: servlet} sessions stay in the servlet container's memory, for
 * tests that hand sessions around themselves.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ferry.sessions", havingValue = "jdbc", matchIfMissing = true)
@EnableJdbcHttpSession
class JdbcSessionConfiguration {

	@Bean
	SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionTimeout(Environment environment) {
		Duration timeout = environment.getProperty("server.servlet.session.timeout", Duration.class,
				Duration.ofMinutes(30));
		return repository -> repository.setDefaultMaxInactiveInterval(timeout);
	}

	/**
	 * The session filter on error dispatches too (as Boot's own session support does), so
	 * an error page, such as the 403 page, knows who is signed in.
	 */
	@Bean
	FilterRegistrationBean<SessionRepositoryFilter<?>> sessionRepositoryFilterRegistration(
			SessionRepositoryFilter<?> filter) {
		FilterRegistrationBean<SessionRepositoryFilter<?>> registration = new FilterRegistrationBean<>(filter);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC);
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER);
		return registration;
	}

}
