package dev.infercache.job;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JobStore}'s writes and {@link JobRepository}'s reads against the schema Flyway
 * creates from {@code db/migration}: every column a job has goes in and comes back out
 * unchanged.
 */
@JdbcTest
class JobRepositoryTests {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	@Autowired
	private JdbcTemplate jdbc;

	private JobStore store;

	private JobRepository repository;

	@BeforeEach
	void setUp() {
		this.store = new JobStore(this.jdbc);
		this.repository = new JobRepository(this.store);
	}

	@Test
	void schemaIsTheOneFlywayMigrated() {
		Long applied = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1' AND \"success\"", Long.class);
		assertThat(applied).isEqualTo(1);
		String keyHashType = this.jdbc.queryForObject("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS "
				+ "WHERE TABLE_NAME = 'JOBS' AND COLUMN_NAME = 'KEY_HASH'", String.class);
		assertThat(keyHashType).as("key_hash is CHAR(64) as in V1").isEqualTo("CHARACTER");
	}

	@Test
	void completedJobRoundTripsEveryColumn() {
		UUID id = UUID.randomUUID();
		String text = "This is a great product! \ud83d\ude00";
		CacheKey key = CacheKey.of(text, MODEL);
		Job job = new Job(id, text, key, false, T0);
		this.store.insert(List.of(job), null, null);
		job.start(T0.plusSeconds(3));
		ModelId answered = new ModelId("bge-small-en-v1.5+sst2-head", "sha256:0123abcd");
		Map<String, Double> scores = Map.of("positive", 0.8123456789012345, "negative", 0.1, "neutral",
				0.0876543210987655);
		Prediction prediction = new Prediction("positive", 0.8123456789012345, scores, answered);
		job.complete(prediction, T0.plusSeconds(4).plusNanos(123_456_000));
		assertThat(this.store.finish(List.of(job), null)).containsExactly(true);

		Job reloaded = this.repository.findById(id).orElseThrow();
		assertThat(reloaded).isNotSameAs(job);
		assertThat(reloaded.getId()).isEqualTo(id);
		assertThat(reloaded.getInputText()).isEqualTo(text);
		assertThat(reloaded.getKeyHash()).isEqualTo(key.hash());
		assertThat(reloaded.getModel()).isEqualTo(answered);
		assertThat(reloaded.isStoreResult()).isFalse();
		assertThat(reloaded.getStatus()).isEqualTo(JobStatus.COMPLETED);
		assertThat(reloaded.getAttempts()).as("the insert counts the first attempt").isEqualTo(1);
		assertThat(reloaded.getCreatedAt()).isEqualTo(T0);
		assertThat(reloaded.getStartedAt()).isEqualTo(T0.plusSeconds(3));
		assertThat(reloaded.getCompletedAt()).isEqualTo(T0.plusSeconds(4).plusNanos(123_456_000));
		assertThat(reloaded.getError()).isNull();
		Prediction reloadedPrediction = reloaded.getPrediction();
		assertThat(reloadedPrediction).isEqualTo(prediction);
		assertThat(reloadedPrediction.labelScores()).containsExactlyInAnyOrderEntriesOf(scores);
		String column = this.jdbc.queryForObject("SELECT label_scores FROM jobs WHERE id = ?", String.class, id);
		assertThat(column).startsWith("{").endsWith("}").contains("\"positive\":0.8123456789012345");
	}

	@Test
	void failedJobRoundTripsItsError() {
		UUID id = UUID.randomUUID();
		Job job = new Job(id, "text", CacheKey.of("text", MODEL), true, T0);
		this.store.insert(List.of(job), null, null);
		job.start(T0.plusSeconds(1));
		String reason = "r".repeat(2500);
		job.fail(reason, T0.plusSeconds(2));
		this.store.finish(List.of(job), null);

		Job reloaded = this.repository.findById(id).orElseThrow();
		assertThat(reloaded.getStatus()).isEqualTo(JobStatus.FAILED);
		assertThat(reloaded.getError()).isEqualTo("r".repeat(2000));
		assertThat(reloaded.getCompletedAt()).isEqualTo(T0.plusSeconds(2));
		assertThat(reloaded.getPrediction()).isNull();
		assertThat(reloaded.isStoreResult()).isTrue();
	}

	@Test
	void queuedJobRoundTripsWithItsNullColumns() {
		UUID id = UUID.randomUUID();
		this.store.insert(List.of(new Job(id, "queued", CacheKey.of("queued", MODEL), true, T0)), null, null);

		Job reloaded = this.repository.findById(id).orElseThrow();
		assertThat(reloaded.getStatus()).isEqualTo(JobStatus.QUEUED);
		assertThat(reloaded.getAttempts()).isEqualTo(1);
		assertThat(reloaded.getStartedAt()).isNull();
		assertThat(reloaded.getCompletedAt()).isNull();
		assertThat(reloaded.getError()).isNull();
		assertThat(reloaded.getPrediction()).isNull();
		assertThat(reloaded.getModel()).isEqualTo(MODEL);
		assertThat(this.repository.findById(UUID.randomUUID())).isEmpty();
	}

	@Test
	void findByStatusInReturnsOnlyJobsInThoseStatesOldestFirst() {
		Job newestQueued = queued("newest queued", T0.plusSeconds(30));
		Job oldestQueued = queued("oldest queued", T0.plusSeconds(10));
		Job completed = queued("completed", T0);
		Job failed = queued("failed", T0.plusSeconds(5));
		Job middleQueued = queued("middle queued", T0.plusSeconds(20));
		this.store.insert(List.of(newestQueued, oldestQueued, completed, failed, middleQueued), null, null);
		completed.start(T0.plusSeconds(1));
		completed.complete(new Prediction("neutral", 0.5, Map.of("neutral", 0.5, "positive", 0.5), MODEL),
				T0.plusSeconds(2));
		failed.start(T0.plusSeconds(6));
		failed.fail("boom", T0.plusSeconds(7));
		this.store.finish(List.of(completed, failed), null);

		List<Job> unfinished = this.repository
			.findByStatusInOrderByCreatedAtAsc(List.of(JobStatus.QUEUED, JobStatus.RUNNING));
		assertThat(unfinished).extracting(Job::getInputText)
			.containsExactly("oldest queued", "middle queued", "newest queued");
		assertThat(this.repository.findByStatusInOrderByCreatedAtAsc(List.of(JobStatus.FAILED)))
			.extracting(Job::getInputText)
			.containsExactly("failed");
		assertThat(this.repository.findByStatusInOrderByCreatedAtAsc(List.of(JobStatus.COMPLETED, JobStatus.FAILED)))
			.extracting(Job::getInputText)
			.containsExactly("completed", "failed");
		assertThat(this.repository.findByStatusInOrderByCreatedAtAsc(List.of())).isEmpty();
		assertThat(this.repository.count()).isEqualTo(5);
	}

	@Test
	void countByKeyHashCountsTheJobsOfOneText() {
		CacheKey key = CacheKey.of("Same text", MODEL);
		this.store.insert(List.of(new Job(UUID.randomUUID(), "Same text", key, true, T0),
				new Job(UUID.randomUUID(), "  SAME   text ", key, true, T0.plusSeconds(1)),
				new Job(UUID.randomUUID(), "other", CacheKey.of("other", MODEL), true, T0)), null, null);

		assertThat(this.repository.countByKeyHash(key.hash())).isEqualTo(2);
		assertThat(this.repository.countByKeyHash(CacheKey.of("other", MODEL).hash())).isEqualTo(1);
		assertThat(this.repository.countByKeyHash(CacheKey.of("never seen", MODEL).hash())).isZero();
	}

	@Test
	void versionIncrementsOnEveryUpdate() {
		UUID id = UUID.randomUUID();
		Job job = new Job(id, "versioned", CacheKey.of("versioned", MODEL), true, T0);
		this.store.insert(List.of(job), null, null);
		assertThat(version(id)).isZero();

		job.start(T0.plusSeconds(1));
		job.complete(new Prediction("positive", 1.0, Map.of("positive", 1.0), MODEL), T0.plusSeconds(2));
		this.store.finish(List.of(job), null);
		assertThat(version(id)).isEqualTo(1);

		assertThat(this.store.finish(List.of(job), null)).as("a finished job is not recorded again")
			.containsExactly(false);
		assertThat(version(id)).isEqualTo(1);
	}

	@Test
	void timestampsKeepMicrosecondPrecision() {
		UUID id = UUID.randomUUID();
		Instant created = T0.plus(123_456, ChronoUnit.MICROS);
		this.store.insert(List.of(new Job(id, "precise", CacheKey.of("precise", MODEL), true, created)), null, null);
		assertThat(this.repository.findById(id).orElseThrow().getCreatedAt()).isEqualTo(created);
	}

	private static Job queued(String text, Instant createdAt) {
		return new Job(UUID.randomUUID(), text, CacheKey.of(text, MODEL), true, createdAt);
	}

	private long version(UUID id) {
		Long version = this.jdbc.queryForObject("SELECT version FROM jobs WHERE id = ?", Long.class, id);
		return (version != null) ? version : -1;
	}

}
