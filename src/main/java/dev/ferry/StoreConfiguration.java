package dev.ferry;

import java.nio.file.Path;
import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;

/**
 * Ferry's store runs on H2 and PostgreSQL from the same migrations, written with unquoted
 * identifiers that each database folds its own way (H2 up, PostgreSQL down). Spring Data
 * JDBC quotes identifiers by default, which would pin one case; turning quoting off lets
 * both databases fold the names the same way the migrations did.
 * <p>
 * An embedded H2 store is opened with {@code WRITE_DELAY=0}: by default H2 writes a
 * committed transaction to its file up to 500 ms later, so a process killed in that time
 * loses work it had already reported as done (a run's batches, a created connection and
 * its audit entry). A store URL that does not say is given the setting; one that sets
 * {@code WRITE_DELAY} itself keeps its own.
 * <p>
 * Its login is user {@code ferry} with a password generated into
 * {@code <data-dir>/store.password} unless one is configured ({@link StorePassword}).
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

	@Bean
	static BeanPostProcessor unquotedStoreIdentifiers() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof RelationalMappingContext context) {
					context.setForceQuote(false);
				}
				return bean;
			}
		};
	}

	@Bean
	static BeanPostProcessor durableH2Store() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof HikariDataSource dataSource && dataSource.getJdbcUrl() != null) {
					dataSource.setJdbcUrl(durable(dataSource.getJdbcUrl()));
				}
				return bean;
			}
		};
	}

	/**
	 * The embedded H2 store logs in with the password generated into
	 * {@code <data-dir>/store.password} ({@link StorePassword}) when none is configured.
	 * Done here, on the data source Spring Boot built and before its pool first connects,
	 * rather than in an {@code EnvironmentPostProcessor}: the data source's URL, user and
	 * password are the ones really used, wherever they came from (configuration files,
	 * the environment, a test's {@code @DynamicPropertySource}, which is added after the
	 * environment post-processors ran), and the store is opened to check its login only
	 * when a context is about to use it.
	 */
	@Bean
	static BeanPostProcessor generatedStorePassword(Environment environment) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof HikariDataSource dataSource
						&& StorePassword.applies(dataSource.getJdbcUrl(), dataSource.getPassword())) {
					Path dataDir = Path.of(environment.getProperty("ferry.data-dir", "./data"))
						.toAbsolutePath()
						.normalize();
					dataSource.setPassword(StorePassword.password(durable(dataSource.getJdbcUrl()),
							dataSource.getUsername(), dataDir));
				}
				return bean;
			}
		};
	}

	/**
	 * An H2 file URL with {@code WRITE_DELAY=0} unless it sets a write delay; any other
	 * URL as it is.
	 */
	static String durable(String url) {
		if (!embeddedH2(url) || url.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=")) {
			return url;
		}
		return url + ";WRITE_DELAY=0";
	}

	/**
	 * Whether the URL is an embedded H2 database in a file ({@code jdbc:h2:file:} or a
	 * bare path), not in memory or on a server.
	 */
	static boolean embeddedH2(String url) {
		String upper = url.toUpperCase(Locale.ROOT);
		return upper.startsWith("JDBC:H2:") && !upper.startsWith("JDBC:H2:MEM:") && !upper.startsWith("JDBC:H2:TCP:")
				&& !upper.startsWith("JDBC:H2:SSL:");
	}

}
