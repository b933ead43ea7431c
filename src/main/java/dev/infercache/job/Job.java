package dev.infercache.job;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.jspecify.annotations.Nullable;

/**
 * One inference, persisted: the database is the source of truth for jobs and their results. The
 * entity guards its own life cycle: {@link #start}, {@link #complete} and {@link #fail} are the
 * only transitions, and each throws on an illegal move.
 */
@Entity
@Table(name = "jobs")
public class Job {

	/** Longest error text kept; the column holds 2,000 characters. */
	static final int MAX_ERROR_LENGTH = 2000;

	@Id
	private UUID id;

	@Column(name = "input_text", nullable = false)
	private String inputText;

	@Column(name = "key_hash", nullable = false)
	private String keyHash;

	@Column(name = "model_name", nullable = false)
	private String modelName;

	@Column(name = "model_version", nullable = false)
	private String modelVersion;

	@Column(name = "store_result", nullable = false)
	private boolean storeResult;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private JobStatus status;

	private @Nullable String label;

	private @Nullable Double confidence;

	@Convert(converter = LabelScoresConverter.class)
	@Column(name = "label_scores")
	private @Nullable Map<String, Double> labelScores;

	private @Nullable String error;

	@Column(nullable = false)
	private int attempts;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "started_at")
	private @Nullable Instant startedAt;

	@Column(name = "completed_at")
	private @Nullable Instant completedAt;

	@Version
	private long version;

	@SuppressWarnings("NullAway.Init")
	protected Job() {
		// for JPA
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
