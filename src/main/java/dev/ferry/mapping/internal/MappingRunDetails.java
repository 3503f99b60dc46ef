package dev.ferry.mapping.internal;

import java.util.HashMap;
import java.util.Map;

import dev.ferry.mapping.MappingService;
import dev.ferry.run.RunDetails;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunView;

import org.springframework.stereotype.Component;

/**
 * A mapping dry run's part of the run page: what it found, once it has ended
 * ({@code mapping}, null until then).
 */
@Component
class MappingRunDetails implements RunDetails {

	private final MappingService mappings;

	MappingRunDetails(MappingService mappings) {
		this.mappings = mappings;
	}

	@Override
	public Map<String, Object> of(RunView run) {
		if (!"mapping".equals(run.kind()) || run.mode() != RunMode.DRY_RUN) {
			return Map.of();
		}
		// Map.of takes no null: the totals are null until the dry run ends
		Map<String, Object> details = new HashMap<>();
		details.put("mapping", this.mappings.totals(run.id()).orElse(null));
		return details;
	}

}
