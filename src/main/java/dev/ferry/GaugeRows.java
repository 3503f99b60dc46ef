package dev.ferry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The rows of a {@link MultiGauge} refreshed from the store: each row reads its value
 * from a holder kept as long as the row exists, so a refresh only changes values, adds
 * the new rows and removes the gone ones. Re-registering every row at each refresh
 * ({@code register(rows, true)}) removes and adds each gauge again, and a Prometheus
 * scrape at that moment can see a row twice and fail with
 * {@code DuplicateLabelsException} (Micrometer issue 6851).
 */
public final class GaugeRows {

	private final MultiGauge gauge;

	private final Map<Tags, AtomicReference<Double>> values = new ConcurrentHashMap<>();

	public GaugeRows(MultiGauge gauge) {
		this.gauge = gauge;
	}

	/** The rows as they are now, each tag set with its value. */
	public synchronized void set(Map<Tags, ? extends Number> rows) {
		Map<Tags, AtomicReference<Double>> now = new LinkedHashMap<>();
		rows.forEach((tags, value) -> {
			AtomicReference<Double> holder = this.values.computeIfAbsent(tags, t -> new AtomicReference<>());
			holder.set(value.doubleValue());
			now.put(tags, holder);
		});
		this.values.keySet().retainAll(now.keySet());
		List<MultiGauge.Row<?>> registered = now.entrySet()
			.stream().<MultiGauge
					.Row<?>>map(row -> MultiGauge.Row.of(row.getKey(), row.getValue(), AtomicReference::get))
			.toList();
		// existing rows are kept as they are (their holder changed), gone ones removed
		this.gauge.register(registered, false);
	}

}
