package dev.infercache.job;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JobRepository} and the {@link Job} mapping against the schema Flyway creates from
 * {@code db/migration/V1__create_jobs.sql} (Hibernate creates nothing: {@code ddl-auto: none}).
 */
@DataJpaTest
class JobRepositoryTests {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

	@Autowired
	private JobRepository repository;

	@Autowired
	private TestEntityManager entityManager;

	@Test
	void schemaIsTheOneFlywayMigrated() {
		Object applied = this.entityManager.getEntityManager()
			.createNativeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1' AND \"success\"")
			.getSingleResult();
		assertThat(((Number) applied).longValue()).isEqualTo(1);
		Object keyHashType = this.entityManager.getEntityManager()
			.createNativeQuery("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS "
					+ "WHERE TABLE_NAME = 'JOBS' AND COLUMN_NAME = 'KEY_HASH'")
			.getSingleResult();
		assertThat(keyHashType).as("key_hash is CHAR(64) as in V1, not Hibernate's VARCHAR").isEqualTo("CHARACTER");
	}

	@Test
	void completedJobRoundTripsEveryColumn() {
		UUID id = UUID.randomUUID();
		String text = "This is a great product! \ud83d\ude00";
		CacheKey key = CacheKey.of(text, MODEL);
		Job job = new Job(id, text, key, false, T0);
		job.start(T0.plusMillis(1500));
		job.start(T0.plusSeconds(3)); // a restart after a crash
		ModelId answered = new ModelId("bge-small-en-v1.5+sst2-head", "sha256:0123abcd");
		Map<String, Double> scores = Map.of("positive", 0.8123456789012345, "negative", 0.1, "neutral",
				0.0876543210987655);
		Prediction prediction = new Prediction("positive", 0.8123456789012345, scores, answered);
		job.complete(prediction, T0.plusSeconds(4).plusNanos(123_456_000));
		this.entityManager.persistAndFlush(job);
		this.entityManager.clear();

		Job reloaded = this.repository.findById(id).orElseThrow();
		assertThat(reloaded).isNotSameAs(job);
		assertThat(reloaded.getId()).isEqualTo(id);
		assertThat(reloaded.getInputText()).isEqualTo(text);
		assertThat(reloaded.getKeyHash()).isEqualTo(key.hash());
		assertThat(reloaded.getModel()).isEqualTo(answered);
		assertThat(reloaded.isStoreResult()).isFalse();
		assertThat(reloaded.getStatus()).isEqualTo(JobStatus.COMPLETED);
		assertThat(reloaded.getAttempts()).isEqualTo(2);
		assertThat(reloaded.getCreatedAt()).isEqualTo(T0);
		assertThat(reloaded.getStartedAt()).isEqualTo(T0.plusSeconds(3));
		assertThat(reloaded.getCompletedAt()).isEqualTo(T0.plusSeconds(4).plusNanos(123_456_000));
		assertThat(reloaded.getError()).isNull();
		Prediction reloadedPrediction = reloaded.getPrediction();
		assertThat(reloadedPrediction).isEqualTo(prediction);
		assertThat(reloadedPrediction.labelScores()).containsExactlyInAnyOrderEntriesOf(scores);
		Object column = this.entityManager.getEntityManager()
			.createNativeQuery("SELECT label_scores FROM jobs WHERE id = ?1")
			.setParameter(1, id)
			.getSingleResult();
		assertThat(column.toString()).startsWith("{").endsWith("}").contains("\"positive\":0.8123456789012345");
	}

	@Test
	void failedJobRoundTripsItsError() {
		UUID id = UUID.randomUUID();
		Job job = new Job(id, "text", CacheKey.of("text", MODEL), true, T0);
		job.start(T0.plusSeconds(1));
		String reason = "r".repeat(2500);
		job.fail(reason, T0.plusSeconds(2));
		this.entityManager.persistAndFlush(job);
		this.entityManager.clear();

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
		this.entityManager.persistAndFlush(new Job(id, "queued", CacheKey.of("queued", MODEL), true, T0));
		this.entityManager.clear();

		Job reloaded = this.repository.findById(id).orElseThrow();
		assertThat(reloaded.getStatus()).isEqualTo(JobStatus.QUEUED);
		assertThat(reloaded.getAttempts()).isZero();
		assertThat(reloaded.getStartedAt()).isNull();
		assertThat(reloaded.getCompletedAt()).isNull();
		assertThat(reloaded.getError()).isNull();
		assertThat(reloaded.getPrediction()).isNull();
		assertThat(reloaded.getModel()).isEqualTo(MODEL);
	}

	@Test
	void findByStatusInReturnsOnlyUnfinishedJobsOldestFirst() {
		Job newestQueued = queued("newest queued", T0.plusSeconds(30));
		Job oldestRunning = queued("oldest running", T0.plusSeconds(10));
		oldestRunning.start(T0.plusSeconds(11));
		Job completed = queued("completed", T0);
		completed.start(T0.plusSeconds(1));
		completed.complete(new Prediction("neutral", 0.5, Map.of("neutral", 0.5, "positive", 0.5), MODEL),
				T0.plusSeconds(2));
		Job failed = queued("failed", T0.plusSeconds(5));
		failed.start(T0.plusSeconds(6));
		failed.fail("boom", T0.plusSeconds(7));
		Job middleQueued = queued("middle queued", T0.plusSeconds(20));
		for (Job job : List.of(newestQueued, oldestRunning, completed, failed, middleQueued)) {
			this.entityManager.persist(job);
		}
		this.entityManager.flush();
		this.entityManager.clear();

		List<Job> unfinished = this.repository
			.findByStatusInOrderByCreatedAtAsc(List.of(JobStatus.QUEUED, JobStatus.RUNNING));
		assertThat(unfinished).extracting(Job::getInputText)
			.containsExactly("oldest running", "middle queued", "newest queued");
		assertThat(this.repository.findByStatusInOrderByCreatedAtAsc(List.of(JobStatus.FAILED)))
			.extracting(Job::getInputText)
			.containsExactly("failed");
		assertThat(this.repository.findByStatusInOrderByCreatedAtAsc(List.of(JobStatus.COMPLETED, JobStatus.FAILED)))
			.extracting(Job::getInputText)
			.containsExactly("completed", "failed");
	}

	@Test
	void countByKeyHashCountsTheJobsOfOneText() {
		CacheKey key = CacheKey.of("Same text", MODEL);
		this.entityManager.persist(new Job(UUID.randomUUID(), "Same text", key, true, T0));
		this.entityManager.persist(new Job(UUID.randomUUID(), "  SAME   text ", key, true, T0.plusSeconds(1)));
		this.entityManager.persist(new Job(UUID.randomUUID(), "other", CacheKey.of("other", MODEL), true, T0));
		this.entityManager.flush();

		assertThat(this.repository.countByKeyHash(key.hash())).isEqualTo(2);
		assertThat(this.repository.countByKeyHash(CacheKey.of("other", MODEL).hash())).isEqualTo(1);
		assertThat(this.repository.countByKeyHash(CacheKey.of("never seen", MODEL).hash())).isZero();
	}

	@Test
	void versionIncrementsOnEveryUpdate() {
		UUID id = UUID.randomUUID();
		this.entityManager.persistAndFlush(new Job(id, "versioned", CacheKey.of("versioned", MODEL), true, T0));
		assertThat(version(id)).isZero();

		Job job = this.repository.findById(id).orElseThrow();
		job.start(T0.plusSeconds(1));
		this.entityManager.flush();
		assertThat(version(id)).isEqualTo(1);

		job.complete(new Prediction("positive", 1.0, Map.of("positive", 1.0), MODEL), T0.plusSeconds(2));
		this.entityManager.flush();
		assertThat(version(id)).isEqualTo(2);

		this.entityManager.flush(); // nothing changed: no update, no new version
		assertThat(version(id)).isEqualTo(2);
	}

	@Test
	void timestampsKeepMicrosecondPrecision() {
		UUID id = UUID.randomUUID();
		Instant created = T0.plus(123_456, ChronoUnit.MICROS);
		this.entityManager.persistAndFlush(new Job(id, "precise", CacheKey.of("precise", MODEL), true, created));
		this.entityManager.clear();
		assertThat(this.repository.findById(id).orElseThrow().getCreatedAt()).isEqualTo(created);
	}

	private static Job queued(String text, Instant createdAt) {
		return new Job(UUID.randomUUID(), text, CacheKey.of(text, MODEL), true, createdAt);
	}

	private long version(UUID id) {
		Object version = this.entityManager.getEntityManager()
			.createNativeQuery("SELECT version FROM jobs WHERE id = ?1")
			.setParameter(1, id)
			.getSingleResult();
		return ((Number) version).longValue();
	}

}
