package dev.ferry.web.internal;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * A path with an encoded slash ({@code /api/v1/plans/a%2F..%2Fb}) is still refused, but
 * by Spring Security's firewall rather than by Tomcat itself: Tomcat's refusal is its own
 * HTML page, while the firewall's goes through Ferry's error pages, which answer JSON
 * under {@code /api} and a page in words elsewhere. Tomcat leaves the {@code %2F} as it
 * is (passthrough), so nothing is decoded into a path the firewall has not seen.
 */
@Component
class EncodedSlashes implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
	}

}
