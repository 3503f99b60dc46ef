package dev.ferry.mapping.web;

import dev.ferry.mapping.QueueFilter;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * The queue page's links that keep the tab, the search, the facets and the sort: a facet
 * chosen or removed, another sort, the next page.
 *
 * @param path the queue's path, not encoded
 * @param status the tab
 * @param filter the search, facets and sort shown
 */
public record QueueLinks(String path, String status, QueueFilter filter) {

	/** This list again, from its first page. */
	public String current() {
		return build(this.filter, null);
	}

	/** The list with a facet set to a value (a facet's chip). */
	public String facet(String facet, String value) {
		QueueFilter f = this.filter;
		QueueFilter.Sort sort = f.sort();
		return build(switch (facet) {
			case "band" -> QueueFilter.parse(f.q(), value, f.candidatesParam(), f.differs(), f.prefix(), sort.code());
			case "candidates" -> QueueFilter.parse(f.q(), f.bandParam(), value, f.differs(), f.prefix(), sort.code());
			case "differs" ->
				QueueFilter.parse(f.q(), f.bandParam(), f.candidatesParam(), value, f.prefix(), sort.code());
			case "prefix" ->
				QueueFilter.parse(f.q(), f.bandParam(), f.candidatesParam(), f.differs(), value, sort.code());
			default -> throw new IllegalArgumentException("No facet " + facet);
		}, null);
	}

	/** The list without a facet. */
	public String without(String facet) {
		return facet(facet, null);
	}

	/** The list without any facet (the search and sort kept). */
	public String withoutFacets() {
		return build(new QueueFilter(this.filter.q(), null, null, null, null, this.filter.sort()), null);
	}

	/** The list in another order. */
	public String sorted(String sort) {
		QueueFilter f = this.filter;
		return build(QueueFilter.parse(f.q(), f.bandParam(), f.candidatesParam(), f.differs(), f.prefix(), sort), null);
	}

	/** The page after a cursor. */
	public String next(String after) {
		return build(this.filter, after);
	}

	/** Whether this facet has this value now. */
	public boolean selected(String facet, String value) {
		String now = switch (facet) {
			case "band" -> this.filter.bandParam();
			case "candidates" -> this.filter.candidatesParam();
			case "differs" -> this.filter.differs();
			case "prefix" -> this.filter.prefix();
			default -> null;
		};
		return value != null && value.equals(now);
	}

	private String build(QueueFilter f, String after) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromPath(this.path).query("status={status}");
		java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
		values.put("status", this.status);
		add(uri, values, "q", f.q());
		add(uri, values, "band", f.bandParam());
		add(uri, values, "candidates", f.candidatesParam());
		add(uri, values, "differs", f.differs());
		add(uri, values, "prefix", f.prefix());
		add(uri, values, "sort", f.sort() == QueueFilter.Sort.RUN ? null : f.sort().code());
		add(uri, values, "after", after);
		return uri.encode().buildAndExpand(values).toUriString();
	}

	private static void add(UriComponentsBuilder uri, java.util.Map<String, String> values, String name, String value) {
		if (value != null) {
			uri.query(name + "={" + name + "}");
			values.put(name, value);
		}
	}

}
