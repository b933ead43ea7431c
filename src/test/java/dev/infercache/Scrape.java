package dev.infercache;

import java.util.HashMap;
import java.util.Map;

/**
 * A parsed {@code /actuator/prometheus} scrape: the value of each series, by its name and
 * labels exactly as the text format prints them
 * ({@code infercache_cache_gets_total{result="hit"}}).
 */
public final class Scrape {

	private final Map<String, Double> series = new HashMap<>();

	private Scrape(String text) {
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int space = line.lastIndexOf(' ');
			this.series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
		}
	}

	/** A scrape's text, as a registry prints it. */
	public static Scrape parse(String text) {
		return new Scrape(text);
	}

	public static Scrape of(ApiClient api) {
		var response = api.get("/actuator/prometheus");
		if (response.statusCode() != 200) {
			throw new IllegalStateException("scrape answered " + response.statusCode());
		}
		return new Scrape(response.body());
	}

	/**
	 * The metric names of every series, without labels
	 * ({@code infercache_cache_gets_total}).
	 */
	public java.util.Set<String> names() {
		java.util.Set<String> names = new java.util.TreeSet<>();
		for (String series : this.series.keySet()) {
			int brace = series.indexOf('{');
			names.add((brace < 0) ? series : series.substring(0, brace));
		}
		return names;
	}

	/** Whether a series with this name and labels exists. */
	public boolean has(String name) {
		return this.series.containsKey(name);
	}

	/**
	 * The value of a series: its name followed by its labels, as printed. A series with
	 * labels is found by its name and a subset of them:
	 * {@code value("x", "result=\"hit\"")}.
	 */
	public double value(String name, String... labels) {
		for (Map.Entry<String, Double> entry : this.series.entrySet()) {
			String key = entry.getKey();
			if (!key.equals(name) && !key.startsWith(name + "{")) {
				continue;
			}
			boolean matches = true;
			for (String label : labels) {
				matches &= key.contains(label);
			}
			if (matches) {
				return entry.getValue();
			}
		}
		throw new IllegalArgumentException("no series " + name + " " + String.join(",", labels) + " in "
				+ this.series.keySet().stream().filter((key) -> key.startsWith("infercache")).sorted().toList());
	}

}
