package dev.ferry.snapshot.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.problem.Sizes;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import dev.ferry.snapshot.Snapshot;
import dev.ferry.snapshot.SnapshotService;
import dev.ferry.snapshot.SnapshotTable;

import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The snapshots page {@code /snapshots}: every snapshot with its tables, size and expiry;
 * for admins the downloads and how to read each table for a restore.
 */
@Controller
class SnapshotController {

	static final int SHOWN = 50;

	private final SnapshotService snapshots;

	SnapshotController(SnapshotService snapshots) {
		this.snapshots = snapshots;
	}

	@GetMapping("/snapshots")
	String page(@RequestParam(required = false) String plan, Model model) {
		List<Snapshot> list = this.snapshots.list((plan == null || plan.isBlank()) ? null : plan, SHOWN);
		boolean admin = CurrentUser.get().map(user -> user.has(Role.ADMIN)).orElse(false);
		Map<String, SnapshotService.Restore> restores = new LinkedHashMap<>();
		if (admin) {
			for (Snapshot snapshot : list) {
				if (!snapshot.expired()) {
					// one source per file: a SQLite or H2 copy holds every table of its
					// connection
					for (SnapshotTable table : snapshot.tables()) {
						restores.computeIfAbsent(table.runId() + "/" + table.file(),
								key -> this.snapshots.restore(table));
					}
				}
			}
		}
		model.addAttribute("plan", (plan == null || plan.isBlank()) ? null : plan);
		model.addAttribute("snapshots", list);
		model.addAttribute("restores", restores);
		model.addAttribute("canDownload", admin);
		Map<Long, String> sizes = new LinkedHashMap<>();
		list.forEach(snapshot -> sizes.put(snapshot.runId(), Sizes.of(snapshot.bytes())));
		model.addAttribute("sizes", sizes);
		return "snapshot/list";
	}

	@GetMapping("/snapshots/{run}/files/{name}")
	ResponseEntity<Resource> file(@PathVariable long run, @PathVariable String name) {
		return SnapshotDownloads.of(run, this.snapshots.file(run, name));
	}

}
