package dev.infercache.job;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The life cycle {@link Job} guards: QUEUED, then RUNNING (possibly more than once after
 * a crash), then COMPLETED or FAILED.
 */
class JobTests {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");

	private static final Instant STARTED = CREATED.plusSeconds(1);

	private static final Instant FINISHED = CREATED.plusSeconds(2);

	private final UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");

	private final CacheKey key = CacheKey.of("This is a great product!", MODEL);

	private Job newJob() {
		return new Job(this.id, "This is a great product!", this.key, true, CREATED);
	}

	private static Prediction prediction() {
		return new Prediction("positive", 0.9, Map.of("positive", 0.9, "negative", 0.05, "neutral", 0.05), MODEL);
	}

	@Test
	void newJobIsQueuedWithNoAttemptsAndIsProcessingOnTheWire() {
		Job job = newJob();
		assertThat(job.getId()).isEqualTo(this.id);
		assertThat(job.getStatus()).isEqualTo(JobStatus.QUEUED);
		assertThat(job.getStatus().wireName()).isEqualTo("processing");
		assertThat(job.getAttempts()).isZero();
		assertThat(job.getInputText()).isEqualTo("This is a great product!");
		assertThat(job.getKeyHash()).isEqualTo(this.key.hash());
		assertThat(job.getModel()).isEqualTo(MODEL);
		assertThat(job.isStoreResult()).isTrue();
		assertThat(job.getCreatedAt()).isEqualTo(CREATED);
		assertThat(job.getStartedAt()).isNull();
		assertThat(job.getCompletedAt()).isNull();
		assertThat(job.getError()).isNull();
		assertThat(job.getPrediction()).isNull();
	}

	@Test
	void noStoreJobRemembersNotToStoreItsResult() {
		Job job = new Job(this.id, "text", this.key, false, CREATED);
		assertThat(job.isStoreResult()).isFalse();
	}

	@Test
	void startMakesTheJobRunningWithOneAttempt() {
		Job job = newJob();
		job.start(STARTED);
		assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
		assertThat(job.getStatus().wireName()).isEqualTo("processing");
		assertThat(job.getAttempts()).isEqualTo(1);
		assertThat(job.getStartedAt()).isEqualTo(STARTED);
		assertThat(job.getPrediction()).isNull();
	}

	@Test
	void restartAfterACrashCountsAnotherAttempt() {
		Job job = newJob();
		job.start(STARTED);
		Instant restarted = STARTED.plusSeconds(30);
		job.start(restarted);
		assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
		assertThat(job.getAttempts()).isEqualTo(2);
		assertThat(job.getStartedAt()).isEqualTo(restarted);
	}

	@Test
	void completeStoresThePredictionAndIsCompletedOnTheWire() {
		Job job = newJob();
		job.start(STARTED);
		Prediction prediction = prediction();
		job.complete(prediction, FINISHED);
		assertThat(job.getStatus()).isEqualTo(JobStatus.COMPLETED);
		assertThat(job.getStatus().wireName()).isEqualTo("completed");
		assertThat(job.getCompletedAt()).isEqualTo(FINISHED);
		assertThat(job.getError()).isNull();
		Prediction stored = job.getPrediction();
		assertThat(stored).isEqualTo(prediction);
		assertThat(stored.label()).isEqualTo("positive");
		assertThat(stored.confidence()).isEqualTo(0.9);
		assertThat(stored.labelScores()).containsExactlyInAnyOrderEntriesOf(prediction.labelScores());
		assertThat(stored.model()).isEqualTo(MODEL);
	}

	@Test
	void completeRecordsTheModelThatAnswered() {
		Job job = newJob();
		job.start(STARTED);
		ModelId newer = new ModelId("keyword-rules", "2");
		job.complete(new Prediction("negative", 0.6, Map.of("negative", 0.6, "positive", 0.4), newer), FINISHED);
		assertThat(job.getModel()).isEqualTo(newer);
		assertThat(job.getPrediction().model()).isEqualTo(newer);
	}

	@Test
	void failStoresTheErrorAndIsFailedOnTheWire() {
		Job job = newJob();
		job.start(STARTED);
		job.fail("model exploded", FINISHED);
		assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
		assertThat(job.getStatus().wireName()).isEqualTo("failed");
		assertThat(job.getError()).isEqualTo("model exploded");
		assertThat(job.getCompletedAt()).isEqualTo(FINISHED);
		assertThat(job.getPrediction()).isNull();
	}

	@Test
	void failShortensALongErrorToTwoThousandCharacters() {
		Job job = newJob();
		job.start(STARTED);
		String reason = "x".repeat(1999) + "yz" + "w".repeat(3000);
		job.fail(reason, FINISHED);
		assertThat(job.getError()).hasSize(2000).isEqualTo(reason.substring(0, 2000)).endsWith("xy");
	}

	@Test
	void failKeepsAnErrorOfExactlyTwoThousandCharacters() {
		Job job = newJob();
		job.start(STARTED);
		String reason = "e".repeat(2000);
		job.fail(reason, FINISHED);
		assertThat(job.getError()).isEqualTo(reason);
	}

	@Test
	void failDoesNotSplitASurrogatePairWhenShortening() {
		Job job = newJob();
		job.start(STARTED);
		// U+1F600 occupies units 1999 and 2000: the cut falls between its two halves
		String reason = "x".repeat(1999) + "\ud83d\ude00" + "tail";
		job.fail(reason, FINISHED);
		String error = job.getError();
		assertThat(error).hasSizeLessThanOrEqualTo(2000);
		assertThat(Character.isHighSurrogate(error.charAt(error.length() - 1))).as("ends with a lone high surrogate")
			.isFalse();
		assertThat(error).startsWith("x".repeat(1999));
	}

	@Test
	void queuedJobCannotComplete() {
		Job job = newJob();
		assertThatIllegalStateException().isThrownBy(() -> job.complete(prediction(), FINISHED))
			.withMessage("job " + this.id + " cannot complete: it is QUEUED");
		assertThat(job.getStatus()).isEqualTo(JobStatus.QUEUED);
	}

	@Test
	void queuedJobCannotFail() {
		Job job = newJob();
		assertThatIllegalStateException().isThrownBy(() -> job.fail("boom", FINISHED))
			.withMessage("job " + this.id + " cannot fail: it is QUEUED");
		assertThat(job.getError()).isNull();
	}

	@Test
	void completedJobCannotStartCompleteOrFailAgain() {
		Job job = newJob();
		job.start(STARTED);
		job.complete(prediction(), FINISHED);
		assertThatIllegalStateException().isThrownBy(() -> job.start(FINISHED))
			.withMessage("job " + this.id + " cannot start: it is COMPLETED");
		assertThatIllegalStateException().isThrownBy(() -> job.complete(prediction(), FINISHED))
			.withMessage("job " + this.id + " cannot complete: it is COMPLETED");
		assertThatIllegalStateException().isThrownBy(() -> job.fail("late", FINISHED))
			.withMessage("job " + this.id + " cannot fail: it is COMPLETED");
		assertThat(job.getAttempts()).isEqualTo(1);
		assertThat(job.getStatus()).isEqualTo(JobStatus.COMPLETED);
	}

	@Test
	void failedJobCannotStartOrComplete() {
		Job job = newJob();
		job.start(STARTED);
		job.fail("boom", FINISHED);
		assertThatIllegalStateException().isThrownBy(() -> job.start(FINISHED))
			.withMessage("job " + this.id + " cannot start: it is FAILED");
		assertThatIllegalStateException().isThrownBy(() -> job.complete(prediction(), FINISHED))
			.withMessage("job " + this.id + " cannot complete: it is FAILED");
		assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
		assertThat(job.getError()).isEqualTo("boom");
	}

	@Test
	void onlyCompletedAndFailedAreFinished() {
		assertThat(JobStatus.QUEUED.isFinished()).isFalse();
		assertThat(JobStatus.RUNNING.isFinished()).isFalse();
		assertThat(JobStatus.COMPLETED.isFinished()).isTrue();
		assertThat(JobStatus.FAILED.isFinished()).isTrue();
	}

}
