package dev.ferry.connection.web;

import java.net.URI;
import java.util.List;

import dev.ferry.connection.ConnectionCheck;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.connection.ConnectionView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

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
@Tag(name = "Connections", description = "Databases Ferry reads and writes; secrets are never returned")
@RestController
@RequestMapping("/api/v1/connections")
class ConnectionsApiController {

	private final ConnectionService connections;

	ConnectionsApiController(ConnectionService connections) {
		this.connections = connections;
	}

	@Operation(summary = "Every connection, without secrets (VIEWER)")
	@GetMapping
	List<ConnectionJson> list() {
		return this.connections.list().stream().map(ConnectionJson::of).toList();
	}

	@Operation(summary = "One connection, without its secret (VIEWER)")
	@GetMapping("/{name}")
	ConnectionJson get(@PathVariable String name) {
		return ConnectionJson.of(this.connections.get(name));
	}

	@Operation(summary = "Create a connection (ADMIN): 201")
	@PostMapping
	ResponseEntity<ConnectionJson> create(@RequestBody ConnectionRequest request) {
		ConnectionView created = this.connections.create(request.command(request.name()));
		return ResponseEntity.created(URI.create("/api/v1/connections/" + created.name()))
			.body(ConnectionJson.of(created));
	}

	@Operation(summary = "Change a connection; an empty password keeps the stored one (ADMIN)")
	@PutMapping("/{name}")
	ConnectionJson update(@PathVariable String name, @RequestBody ConnectionRequest request) {
		return ConnectionJson.of(this.connections.update(name, request.command(name)));
	}

	@Operation(summary = "Delete a connection (ADMIN)")
	@DeleteMapping("/{name}")
	ResponseEntity<Void> delete(@PathVariable String name) {
		this.connections.delete(name);
		return ResponseEntity.noContent().build();
	}

	@Operation(summary = "Connect and count the rows of each table (OPERATOR)")
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
