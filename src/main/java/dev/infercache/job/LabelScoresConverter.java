package dev.infercache.job;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's label scores as the small JSON object its {@code label_scores} column holds
 * ({@code NULL} until the job completes).
 */
final class LabelScoresConverter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<LinkedHashMap<String, Double>> TYPE = new TypeReference<>() {
	};

	private LabelScoresConverter() {
	}

	/** The column's text for some scores. */
	static @Nullable String toJson(@Nullable Map<String, Double> scores) {
		return (scores != null) ? JSON.writeValueAsString(scores) : null;
	}

	/** The scores a column's text holds, in its order. */
	static @Nullable Map<String, Double> fromJson(@Nullable String column) {
		return (column != null) ? JSON.readValue(column, TYPE) : null;
	}

}
