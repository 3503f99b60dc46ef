package dev.ferry.web.internal;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description of {@code /api/v1} ({@code /v3/api-docs}, rendered at
 * {@code /swagger-ui.html}), for signed-in users: every endpoint with its role, and the
 * two ways to authenticate, an API token or HTTP Basic.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI ferryOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Ferry API")
				.version("v1")
				.description("Everything the console does, for pipelines and scripts: the same roles, gates, "
						+ "approvals and audit log. Errors are {\"error\": \"...\", \"reasons\": [...]}; lists are "
						+ "keyset-paginated with limit (at most 500) and after, answering items and next. "
						+ "Authenticate with an API token from your profile page (Authorization: Bearer) or "
						+ "HTTP Basic; cookies are not read here."))
			.components(new Components()
				.addSecuritySchemes("token",
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("An API token made on /profile"))
				.addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
			.addSecurityItem(new SecurityRequirement().addList("token"))
			.addSecurityItem(new SecurityRequirement().addList("basic"));
	}

}
