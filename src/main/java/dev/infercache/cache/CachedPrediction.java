package dev.infercache.cache;

import java.util.Objects;
import java.util.UUID;

import dev.infercache.model.Prediction;

/**
 * What the cache holds for a key: the prediction and the job that computed it (a hit
 * answers with that job's id, as docs/API.md requires).
 *
 * @param jobId the job that computed the prediction
 * @param prediction the model's answer
 */
public record CachedPrediction(UUID jobId, Prediction prediction) {

	public CachedPrediction {
		Objects.requireNonNull(jobId, "jobId");
		Objects.requireNonNull(prediction, "prediction");
	}

}
