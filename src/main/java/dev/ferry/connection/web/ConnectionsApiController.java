package dev.ferry.connection.web;

import java.net.URI;
import java.util.List;

import dev.ferry.connection.ConnectionCheck;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.connection.ConnectionView;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/connections}: the same service, as JSON; a secret goes in, never out.
 */
@RestController
@RequestMapping("/api/v1/connections")
class ConnectionsApiController {

	private final ConnectionService connections;

	ConnectionsApiController(ConnectionService connections) {
		this.connections = connections;
	}

	@GetMapping
	List<ConnectionJson> list() {
		return this.connections.list().stream().map(ConnectionJson::of).toList();
	}

	@GetMapping("/{name}")
	ConnectionJson get(@PathVariable String name) {
		return ConnectionJson.of(this.connections.get(name));
	}

	@PostMapping
	ResponseEntity<ConnectionJson> create(@RequestBody ConnectionRequest request) {
		ConnectionView created = this.connections.create(request.command(request.name()));
		return ResponseEntity.created(URI.create("/api/v1/connections/" + created.name()))
			.body(ConnectionJson.of(created));
	}

	@PutMapping("/{name}")
	ConnectionJson update(@PathVariable String name, @RequestBody ConnectionRequest request) {
		return ConnectionJson.of(this.connections.update(name, request.command(name)));
	}

	@DeleteMapping("/{name}")
	ResponseEntity<Void> delete(@PathVariable String name) {
		this.connections.delete(name);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{name}/test")
	ConnectionCheck test(@PathVariable String name) {
		return this.connections.test(name);
	}

	record ConnectionJson(String name, String kind, String jdbcUrl, String username, boolean readOnly,
			boolean hasSecret) {

		static ConnectionJson of(ConnectionView view) {
			return new ConnectionJson(view.name(), view.kind().name().toLowerCase(java.util.Locale.ROOT),
					view.jdbcUrl(), view.username(), view.readOnly(), view.hasSecret());
		}

	}

	record ConnectionRequest(String name, String jdbcUrl, String username, String password, Boolean readOnly) {

		ConnectionCommand command(String connectionName) {
			return new ConnectionCommand(connectionName, this.jdbcUrl, this.username, this.password,
					Boolean.TRUE.equals(this.readOnly));
		}

		@Override
		public String toString() {
			return "ConnectionRequest[name=" + this.name + ", jdbcUrl=" + this.jdbcUrl + "]";
		}

	}

}
