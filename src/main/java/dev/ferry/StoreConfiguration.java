package dev.ferry;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;

/**
 * Ferry's store runs on H2 and PostgreSQL from the same migrations, written with unquoted
 * identifiers that each database folds its own way (H2 up, PostgreSQL down). Spring Data
 * JDBC quotes identifiers by default, which would pin one case; turning quoting off lets
 * both databases fold the names the same way the migrations did.
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

}
