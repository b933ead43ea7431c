package dev.infercache.job;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import org.jspecify.annotations.Nullable;

/**
 * One inference, persisted: the database is the source of truth for jobs and their
 * results. The entity guards its own life cycle: {@link #start}, {@link #complete} and
 * {@link #fail} are the only transitions, and each throws on an illegal move.
 */
public class Job {

	/** Longest error text kept; the column holds 2,000 characters. */
	static final int MAX_ERROR_LENGTH = 2000;

	private UUID id;

	private String inputText;

	private String keyHash;

	private String modelName;

	private String modelVersion;

	private boolean storeResult;

	private JobStatus status;

	private @Nullable String label;

	private @Nullable Double confidence;

	private @Nullable Map<String, Double> labelScores;

	private @Nullable String error;

	private int attempts;

	private Instant createdAt;

	private @Nullable Instant startedAt;

	private @Nullable Instant completedAt;

	/**
	 * A job as its row holds it ({@link JobStore}).
	 */
	Job(UUID id, String inputText, String keyHash, ModelId model, boolean storeResult, JobStatus status,
			@Nullable String label, @Nullable Double confidence, @Nullable Map<String, Double> labelScores,
			@Nullable String error, int attempts, Instant createdAt, @Nullable Instant startedAt,
			@Nullable Instant completedAt) {
		this.id = id;
		this.inputText = inputText;
		this.keyHash = keyHash;
		this.modelName = model.name();
		this.modelVersion = model.version();
		this.storeResult = storeResult;
		this.status = status;
		this.label = label;
		this.confidence = confidence;
		this.labelScores = labelScores;
		this.error = error;
		this.attempts = attempts;
		this.createdAt = createdAt;
		this.startedAt = startedAt;
		this.completedAt = completedAt;
	}

	/**
	 * A new queued job.
	 * @param id its id
	 * @param text the text to classify, as the client sent it
	 * @param key the cache key of the text
	 * @param storeResult whether the result goes into the cache ({@code false} for
	 * {@code Cache-Control: no-store})
	 * @param createdAt now
	 */
	public Job(UUID id, String text, CacheKey key, boolean storeResult, Instant createdAt) {
		this.id = Objects.requireNonNull(id, "id");
		this.inputText = Objects.requireNonNull(text, "text");
		this.keyHash = key.hash();
		this.modelName = key.model().name();
		this.modelVersion = key.model().version();
		this.storeResult = storeResult;
		this.status = JobStatus.QUEUED;
		this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
	}

	/**
	 * A worker starts (or, after a crash, restarts) the job.
	 * @param now the time
	 * @throws IllegalStateException when the job has already finished
	 */
	public void start(Instant now) {
		if (this.status.isFinished()) {
			throw new IllegalStateException("job " + this.id + " cannot start: it is " + this.status);
		}
		this.status = JobStatus.RUNNING;
		this.attempts++;
		this.startedAt = now;
	}

	/**
	 * Records the model's answer.
	 * @param prediction the answer
	 * @param now the time
	 * @throws IllegalStateException when the job is not running
	 */
	public void complete(Prediction prediction, Instant now) {
		requireRunning("complete");
		this.status = JobStatus.COMPLETED;
		this.label = prediction.label();
		this.confidence = prediction.confidence();
		this.labelScores = prediction.labelScores();
		this.modelName = prediction.model().name();
		this.modelVersion = prediction.model().version();
		this.completedAt = now;
	}

	/**
	 * Records that the model failed.
	 * @param reason what went wrong, shortened to 2,000 characters
	 * @param now the time
	 * @throws IllegalStateException when the job is not running
	 */
	public void fail(String reason, Instant now) {
		requireRunning("fail");
		this.status = JobStatus.FAILED;
		this.error = shorten(reason);
		this.completedAt = now;
	}

	/** Cuts at 2,000 UTF-16 units, never between the two halves of a surrogate pair. */
	private static String shorten(String reason) {
		if (reason.length() <= MAX_ERROR_LENGTH) {
			return reason;
		}
		boolean splitsPair = Character.isHighSurrogate(reason.charAt(MAX_ERROR_LENGTH - 1));
		return reason.substring(0, splitsPair ? MAX_ERROR_LENGTH - 1 : MAX_ERROR_LENGTH);
	}

	private void requireRunning(String transition) {
		if (this.status != JobStatus.RUNNING) {
			throw new IllegalStateException("job " + this.id + " cannot " + transition + ": it is " + this.status);
		}
	}

	public UUID getId() {
		return this.id;
	}

	public String getInputText() {
		return this.inputText;
	}

	public String getKeyHash() {
		return this.keyHash;
	}

	public ModelId getModel() {
		return new ModelId(this.modelName, this.modelVersion);
	}

	public boolean isStoreResult() {
		return this.storeResult;
	}

	public JobStatus getStatus() {
		return this.status;
	}

	public @Nullable String getError() {
		return this.error;
	}

	public int getAttempts() {
		return this.attempts;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public @Nullable Instant getStartedAt() {
		return this.startedAt;
	}

	public @Nullable Instant getCompletedAt() {
		return this.completedAt;
	}

	/**
	 * The model's answer, once the job has completed.
	 * @return the prediction, or {@code null} unless {@link JobStatus#COMPLETED}
	 */
	public @Nullable Prediction getPrediction() {
		if (this.status != JobStatus.COMPLETED || this.label == null || this.confidence == null
				|| this.labelScores == null) {
			return null;
		}
		return new Prediction(this.label, this.confidence, this.labelScores, getModel());
	}

}
