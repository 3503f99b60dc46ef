package dev.ferry.plan;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The hosts that gates of check {@code http} may call:
 * {@code ferry.http-checks.allowed-hosts} and, in demo mode only,
 * {@code ferry.demo.http-hosts} (by default {@code localhost:6333}, where the sample plan
 * baseline-registration finds its vector store: that port only). An entry is a host (any
 * port) or {@code host:port}. Checked when a plan is saved and again before each call.
 */
public final class HttpCheckHosts {

	private HttpCheckHosts() {
	}

	/**
	 * The allowed hosts, lower case. The settings are bound as lists, so both a YAML list
	 * and a comma separated value ({@code FERRY_HTTP_CHECKS_ALLOWED_HOSTS=a,b}) work;
	 * {@code @Value} would see only the second.
	 * @param environment the application's environment
	 * @return the hosts, without blanks
	 */
	public static Set<String> allowed(Environment environment) {
		Binder binder = Binder.get(environment);
		Set<String> hosts = new LinkedHashSet<>(hosts(binder, "ferry.http-checks.allowed-hosts"));
		if (binder.bind("ferry.demo.enabled", Boolean.class).orElse(true)) {
			hosts.addAll(hosts(binder, "ferry.demo.http-hosts"));
		}
		return Set.copyOf(hosts);
	}

	/**
	 * Whether an entry of the allowed hosts lets a gate call {@code url}: {@code host} on
	 * any port, {@code host:port} on that port only (the demo's entries name their port).
	 */
	public static boolean allows(Set<String> allowed, java.net.URI url) {
		if (url.getHost() == null) {
			return false;
		}
		String host = url.getHost().toLowerCase(Locale.ROOT);
		int port = (url.getPort() >= 0) ? url.getPort() : ("https".equalsIgnoreCase(url.getScheme()) ? 443 : 80);
		return allowed.contains(host) || allowed.contains(host + ":" + port);
	}

	private static List<String> hosts(Binder binder, String property) {
		return binder.bind(property, Bindable.listOf(String.class))
			.orElse(List.of())
			.stream()
			.map(String::strip)
			.filter(host -> !host.isEmpty())
			.map(host -> host.toLowerCase(Locale.ROOT))
			.toList();
	}

}
