package dev.infercache.job;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores a job's label scores as a small JSON object in one column.
 */
@Converter
class LabelScoresConverter implements AttributeConverter<Map<String, Double>, String> {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<LinkedHashMap<String, Double>> TYPE = new TypeReference<>() {
	};

	@Override
	public String convertToDatabaseColumn(Map<String, Double> scores) {
		return JSON.writeValueAsString(scores);
	}

	@Override
	public Map<String, Double> convertToEntityAttribute(String column) {
		return JSON.readValue(column, TYPE);
	}

}
