package dev.infercache.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.ModelId;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link LocalJobCoordinator#createAll}: the rows of a batch's new jobs are written in
 * one transaction, where creating them one by one commits once each. Against H2 with the
 * real schema, counting commits.
 */
class LocalJobCoordinatorTests {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private final DataSource dataSource = new DriverManagerDataSource(
			"jdbc:h2:mem:local-coordinator-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

	private final AtomicInteger commits = new AtomicInteger();

	private final Clock clock = Clock.systemUTC();

	private final LocalJobCoordinator coordinator;

	private final DataSourceTransactionManager transactions;

	LocalJobCoordinatorTests() {
		Flyway.configure().dataSource(this.dataSource).locations("classpath:db/migration").load().migrate();
		DataSourceTransactionManager transactions = new DataSourceTransactionManager(this.dataSource) {

			@Override
			protected void doCommit(DefaultTransactionStatus status) {
				super.doCommit(status);
				LocalJobCoordinatorTests.this.commits.incrementAndGet();
			}

		};
		this.coordinator = coordinator(transactions, () -> false, JobWriter.PACE);
		this.transactions = transactions;
	}

	private LocalJobCoordinator coordinator(DataSourceTransactionManager transactions, BooleanSupplier backlog,
			Duration pace) {
		return new LocalJobCoordinator(new JobStore(new JdbcTemplate(this.dataSource)), null,
				new TransactionTemplate(transactions), this.clock, backlog, pace);
	}

	@AfterEach
	void close() throws InterruptedException {
		this.coordinator.close();
	}

	@Test
	void theRowsOfManyNewJobsShareOneCommit() {
		List<Job> jobs = new ArrayList<>();
		List<CacheKey> keys = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			CacheKey key = CacheKey.of("batch text " + i, MODEL);
			jobs.add(new Job(JobIds.next(this.clock), "batch text " + i, key, true, Instant.now()));
			keys.add(key);
		}

		List<CompletableFuture<UUID>> rows = this.coordinator.createAll(jobs, keys);

		for (int i = 0; i < jobs.size(); i++) {
			assertThat(rows.get(i).join()).isEqualTo(jobs.get(i).getId());
		}
		assertThat(this.commits.get()).isEqualTo(1);
		assertThat(new JdbcTemplate(this.dataSource).queryForObject("SELECT COUNT(*) FROM jobs", Integer.class))
			.isEqualTo(32);
	}

	@Test
	void jobsCreatedOneAtATimeCommitOnceEach() {
		for (int i = 0; i < 3; i++) {
			CacheKey key = CacheKey.of("single text " + i, MODEL);
			this.coordinator.create(new Job(JobIds.next(this.clock), "single text " + i, key, true, Instant.now()), key)
				.join();
		}
		assertThat(this.commits.get()).isEqualTo(3);
	}

	@Test
	void whileJobsQueueRowsWaitForOneCommitUntilSomebodyNeedsThem() throws InterruptedException {
		// a pace no test outlives: the rows can only be committed by expedite()
		LocalJobCoordinator paced = coordinator(this.transactions, () -> true, Duration.ofHours(1));
		try {
			List<CompletableFuture<UUID>> rows = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				CacheKey key = CacheKey.of("queued text " + i, MODEL);
				rows.add(paced.create(new Job(JobIds.next(this.clock), "queued text " + i, key, true, Instant.now()),
						key));
			}
			assertThat(rows).noneMatch(CompletableFuture::isDone);

			paced.expedite();

			CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new)).join();
			assertThat(this.commits.get()).isEqualTo(1);
			assertThat(new JdbcTemplate(this.dataSource).queryForObject("SELECT COUNT(*) FROM jobs", Integer.class))
				.isEqualTo(3);
		}
		finally {
			paced.close();
		}
	}

	@Test
	void anExpediteThatComesBeforeItsRowStillCommitsIt() throws Exception {
		// a request that joined a job may ask for its row before the owner has queued it
		LocalJobCoordinator paced = coordinator(this.transactions, () -> true, Duration.ofHours(1));
		try {
			paced.expedite();
			// taken off the writer's queue alone, with no write to go with
			BlockingQueue<?> queued = (BlockingQueue<?>) ReflectionTestUtils
				.getField(ReflectionTestUtils.getField(paced, "writer"), "queue");
			await().atMost(Duration.ofSeconds(5)).until(queued::isEmpty);
			CacheKey key = CacheKey.of("asked for early", MODEL);
			CompletableFuture<UUID> row = paced
				.create(new Job(JobIds.next(this.clock), "asked for early", key, true, Instant.now()), key);

			assertThat(row.get(10, TimeUnit.SECONDS)).isNotNull();
			assertThat(this.commits.get()).isEqualTo(1);
		}
		finally {
			paced.close();
		}
	}

}
