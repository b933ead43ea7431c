package dev.infercache.job;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores a job's label scores as a small JSON object in one column ({@code NULL} until the job
 * completes).
 */
@Converter
class LabelScoresConverter implements AttributeConverter<Map<String, Double>, String> {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<LinkedHashMap<String, Double>> TYPE = new TypeReference<>() {
	};

	@Override
	public @Nullable String convertToDatabaseColumn(@Nullable Map<String, Double> scores) {
		return toJson(scores);
	}

	/** The column's text for some scores (also written by {@link JobStore}'s plain JDBC). */
	static @Nullable String toJson(@Nullable Map<String, Double> scores) {
		return (scores != null) ? JSON.writeValueAsString(scores) : null;
	}

	@Override
	public @Nullable Map<String, Double> convertToEntityAttribute(@Nullable String column) {
		return (column != null) ? JSON.readValue(column, TYPE) : null;
	}

}
