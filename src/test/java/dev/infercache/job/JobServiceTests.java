package dev.infercache.job;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.ModelId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link JobService}'s refusals: which are counted as clients' 503s, and a
 * claim committed after the pool stopped (cluster mode, where a job starts only once its
 * claim is committed).
 */
class JobServiceTests {

	private final JobCoordinator coordinator = mock(JobCoordinator.class);

	private final JobWorker worker = mock(JobWorker.class);

	private final InFlightJobs inFlight = new InFlightJobs();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final JobService jobs = new JobService(mock(JobRepository.class), this.worker, this.inFlight,
			this.coordinator, Clock.systemUTC(), this.meters);

	@Test
	void aClaimCommittedAfterThePoolStoppedIsGivenBackAnsweredWith503AndCounted() {
		CompletableFuture<UUID> row = new CompletableFuture<>();
		given(this.coordinator.sharesKeys()).willReturn(true);
		given(this.coordinator.create(any(), any())).willReturn(row);
		given(this.worker.tryReserve()).willReturn(true);
		willThrow(new RejectedExecutionException("stopped")).given(this.worker).run(any(), any(), any());
		CacheKey key = CacheKey.of("claimed while stopping", new ModelId("scripted", "1"));

		Submission submission = this.jobs.submit("claimed while stopping", key, true);
		row.complete(submission.ownJobId());

		assertThatThrownBy(() -> submission.accepted().join()).hasCauseInstanceOf(ShuttingDownException.class);
		assertThat(rejected("shutting_down")).isEqualTo(1);
		assertThat(rejected("queue_full")).isZero();
		verify(this.coordinator).returnUnstarted(List.of(submission.ownJobId()));
		verify(this.worker).unreserve();
		assertThat(this.inFlight.running(key)).isNull();
		assertThat(this.inFlight.owns(submission.ownJobId())).isFalse();
	}

	@Test
	void aClientRefusedForWantOfRoomIsCountedBackgroundWorkIsNot() {
		given(this.worker.tryReserve()).willReturn(false);
		CacheKey key = CacheKey.of("no room", new ModelId("scripted", "1"));

		assertThat(this.jobs.submitIfRoom("no room", key, true)).isNull();
		assertThat(rejected("queue_full")).isZero();

		assertThatThrownBy(() -> this.jobs.submit("no room", key, true)).isInstanceOf(WorkQueueFullException.class);
		assertThat(rejected("queue_full")).isEqualTo(1);
	}

	@Test
	void backgroundWorkRefusedAtShutdownIsNotCounted() {
		CacheKey key = CacheKey.of("stopping", new ModelId("scripted", "1"));
		this.jobs.stopAccepting();

		assertThatThrownBy(() -> this.jobs.submitIfRoom("stopping", key, true))
			.isInstanceOf(ShuttingDownException.class);
		assertThat(rejected("shutting_down")).isZero();

		assertThatThrownBy(() -> this.jobs.submit("stopping", key, true)).isInstanceOf(ShuttingDownException.class);
		assertThat(rejected("shutting_down")).isEqualTo(1);
	}

	@Test
	void aClientThatJoinedAClaimCommittedAfterThePoolStoppedIsCountedToo() {
		CompletableFuture<UUID> row = new CompletableFuture<>();
		given(this.coordinator.sharesKeys()).willReturn(true);
		given(this.coordinator.create(any(), any())).willReturn(row);
		given(this.worker.tryReserve()).willReturn(true);
		willThrow(new RejectedExecutionException("stopped")).given(this.worker).run(any(), any(), any());
		CacheKey key = CacheKey.of("joined while stopping", new ModelId("scripted", "1"));

		Submission owner = this.jobs.submit("joined while stopping", key, true);
		Submission joiner = this.jobs.submit("joined while stopping", key, true);
		Submission warmUp = this.jobs.submitIfRoom("joined while stopping", key, true);
		assertThat(joiner.joined()).isTrue();
		assertThat(warmUp.joined()).isTrue();
		row.complete(owner.ownJobId());

		assertThatThrownBy(() -> joiner.accepted().join()).hasCauseInstanceOf(ShuttingDownException.class);
		// the owner and the client that joined it; not the warm-up
		assertThat(rejected("shutting_down")).isEqualTo(2);
		assertThat(rejected("queue_full")).isZero();
	}

	@Test
	void clientsThatJoinedARefusedFlightAreCountedUnderItsReason() {
		CacheKey single = CacheKey.of("single", new ModelId("scripted", "1"));
		CacheKey batched = CacheKey.of("batched", new ModelId("scripted", "1"));
		InFlightJobs.Flight singleFlight = new InFlightJobs.Flight(UUID.randomUUID());
		InFlightJobs.Flight batchedFlight = new InFlightJobs.Flight(UUID.randomUUID());
		this.inFlight.claim(single, singleFlight);
		this.inFlight.claim(batched, batchedFlight);
		given(this.worker.tryReserve()).willReturn(false);
		given(this.worker.tryReserve(1)).willReturn(true);

		Submission joiner = this.jobs.submit("single", single, true);
		List<Submission> batch = this.jobs.submitAll(List.of("batched"), List.of(batched), true);
		assertThat(joiner.joined()).isTrue();
		assertThat(batch).singleElement().satisfies((item) -> assertThat(item.joined()).isTrue());
		assertThat(rejected("queue_full")).isZero();

		// the flights' own requests count themselves where they fail
		this.inFlight.abort(single, singleFlight, new WorkQueueFullException());
		this.inFlight.abort(batched, batchedFlight, new ShuttingDownException());

		assertThat(rejected("queue_full")).isEqualTo(1);
		assertThat(rejected("shutting_down")).isEqualTo(1);
	}

	@Test
	void aBatchRefusedForWantOfRoomCountsEveryTextItAnswers503() {
		ModelId model = new ModelId("scripted", "1");
		CacheKey inFlight = CacheKey.of("in flight", model);
		this.inFlight.claim(inFlight, new InFlightJobs.Flight(UUID.randomUUID()));
		List<CacheKey> keys = List.of(inFlight, CacheKey.of("new one", model), CacheKey.of("new two", model));
		given(this.worker.tryReserve(anyInt())).willReturn(false);

		assertThatThrownBy(() -> this.jobs.submitAll(List.of("in flight", "new one", "new two"), keys, true))
			.isInstanceOf(WorkQueueFullException.class);

		// the key it would have joined is answered 503 with the rest
		assertThat(rejected("queue_full")).isEqualTo(3);
		verify(this.worker).tryReserve(2);
		assertThat(this.inFlight.running(keys.get(1))).isNull();
	}

	private double rejected(String reason) {
		return this.meters.get("infercache.jobs.rejected").tag("reason", reason).counter().count();
	}

}
