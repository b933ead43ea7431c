package dev.infercache.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import dev.infercache.cache.CacheKey;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replicas sharing one database (cluster mode, {@code infercache.cluster.enabled}).
 *
 * <p>
 * <b>One job per key.</b> A new job's row and its key's claim ({@code job_claims},
 * primary key = the key) are inserted in one transaction. When another replica's job
 * already claims the key, the insert fails on the primary key (on PostgreSQL it first
 * waits for that replica's transaction to end, so the winner's row is visible afterwards)
 * and nothing of the new job is written: the request answers with the holder's job. A
 * claim whose job has ended is removed with the job's end, or by the next claimer, or by
 * {@link #tidy()}. The caller reserves room in its worker queue before it claims, so a
 * claim other replicas can see always belongs to a job that really is queued.
 *
 * <p>
 * <b>Leases.</b> The process that runs a job holds its lease ({@code lease_owner},
 * {@code lease_until}) under a token of its own, drawn at start-up: the instance id
 * followed by random digits. The instance id is only a readable name, so a replica
 * restarted under its old name does not inherit its predecessor's leases: they run out,
 * and recovery (here or on another replica) takes their jobs over within one lease plus
 * one recovery interval. The heartbeat renews only the jobs this process runs or has
 * queued; every path that gives a job up releases its lease at once.
 *
 * <p>
 * <b>Exactly once.</b> Taking a job over is one conditional UPDATE (free or expired), so
 * of two replicas racing for it one updates a row and the other none. Recording a job's
 * end is one UPDATE conditioned on this process still holding the lease: a process that
 * lost it updates nothing and records nothing (the fence).
 */
final class DatabaseJobCoordinator implements JobCoordinator {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseJobCoordinator.class);

	private static final int CLAIM_ATTEMPTS = 5;

	private static final int CLAIM_THREADS = 4;

	private static final String TAKE_OVER = "UPDATE jobs SET lease_owner = ?, lease_until = ?, attempts = attempts + 1"
			+ " WHERE id = ? AND " + JobStore.UNFINISHED
			+ " AND attempts < ? AND (lease_owner IS NULL OR lease_until < ?)";

	private final JobStore store;

	private final JobRepository repository;

	private final TransactionTemplate transactions;

	private final JobWriter writer;

	private final InFlightJobs inFlight;

	private final ClusterProperties properties;

	private final Clock clock;

	private final String owner;

	/**
	 * Where new jobs' claims are written: off the request threads, so a slow database
	 * holds no Tomcat thread. Its queue is bounded by the room each job reserved in the
	 * worker pool.
	 */
	private final java.util.concurrent.ThreadPoolExecutor claims;

	DatabaseJobCoordinator(JobStore store, JobRepository repository, TransactionTemplate transactions,
			InFlightJobs inFlight, ClusterProperties properties, Clock clock) {
		this.store = store;
		this.repository = repository;
		this.transactions = transactions;
		this.inFlight = inFlight;
		this.properties = properties;
		this.clock = clock;
		byte[] token = new byte[8];
		ThreadLocalRandom.current().nextBytes(token);
		this.owner = properties.owner() + "#" + HexFormat.of().formatHex(token);
		this.writer = new JobWriter(transactions, new JobWriter.Recorder() {

			@Override
			public void insert(List<Job> jobs) {
				store.insert(jobs, owner, leaseUntil());
			}

			@Override
			public boolean[] finish(List<Job> ended) {
				boolean[] recorded = store.finish(ended, owner);
				List<UUID> done = new ArrayList<>();
				for (int i = 0; i < ended.size(); i++) {
					if (recorded[i]) {
						done.add(ended.get(i).getId());
					}
				}
				store.jdbc()
					.batchUpdate("DELETE FROM job_claims WHERE job_id = ?", done, done.size(),
							(statement, id) -> statement.setObject(1, id));
				return recorded;
			}

		}, false, () -> false, Duration.ZERO);
		this.claims = new java.util.concurrent.ThreadPoolExecutor(CLAIM_THREADS, CLAIM_THREADS, 0,
				java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
				new org.springframework.scheduling.concurrent.CustomizableThreadFactory("infercache-job-claims-"));
		logger.info("Holding job leases as {}", this.owner);
	}

	@Override
	public boolean sharesKeys() {
		return true;
	}

	@Override
	public CompletableFuture<UUID> create(Job job, CacheKey key) {
		return CompletableFuture.supplyAsync(() -> claim(job, key), this.claims);
	}

	private UUID claim(Job job, CacheKey key) {
		JdbcTemplate jdbc = this.store.jdbc();
		for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
			try {
				this.transactions.executeWithoutResult((status) -> {
					jdbc.update(
							"INSERT INTO job_claims (key_hash, model_name, model_version, job_id, claimed_at)"
									+ " VALUES (?, ?, ?, ?, ?)",
							key.hash(), key.model().name(), key.model().version(), job.getId(),
							job.getCreatedAt().atOffset(ZoneOffset.UTC));
					this.store.insert(List.of(job), this.owner, leaseUntil());
				});
				return job.getId();
			}
			catch (DuplicateKeyException ex) {
				UUID holder = unfinishedHolder(key);
				if (holder != null) {
					return holder;
				}
			}
		}
		throw new IllegalStateException(
				"Could not claim key " + key.headerValue() + " after " + CLAIM_ATTEMPTS + " attempts");
	}

	/**
	 * The claim holder if its job is unfinished; a stale claim is removed and null
	 * returned.
	 */
	private @Nullable UUID unfinishedHolder(CacheKey key) {
		JdbcTemplate jdbc = this.store.jdbc();
		List<UUID> holders = jdbc.queryForList("SELECT c.job_id FROM job_claims c JOIN jobs j ON j.id = c.job_id"
				+ " WHERE c.key_hash = ? AND c.model_name = ? AND c.model_version = ? AND j." + JobStore.UNFINISHED,
				UUID.class, key.hash(), key.model().name(), key.model().version());
		if (!holders.isEmpty()) {
			return holders.get(0);
		}
		jdbc.update("DELETE FROM job_claims WHERE key_hash = ? AND model_name = ? AND model_version = ?"
				+ " AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_claims.job_id AND j." + JobStore.UNFINISHED
				+ ")", key.hash(), key.model().name(), key.model().version());
		return null;
	}

	@Override
	public CompletableFuture<Boolean> finish(Job ended) {
		return this.writer.finish(ended);
	}

	@Override
	public void release(Collection<UUID> jobIds) {
		if (jobIds.isEmpty()) {
			return;
		}
		try {
			this.store.jdbc()
				.batchUpdate("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
						jobIds, jobIds.size(), (statement, id) -> {
							statement.setObject(1, id);
							statement.setString(2, this.owner);
						});
		}
		catch (RuntimeException ex) {
			// the leases run out by themselves; other replicas then take the jobs over
			logger.warn("Could not release the leases of {} job(s); they pass to other replicas when they run out: {}",
					jobIds.size(), ex.toString());
		}
	}

	@Override
	public void returnUnstarted(Collection<UUID> jobIds) {
		try {
			this.store.uncountAttempt(jobIds, this.owner);
		}
		catch (RuntimeException ex) {
			logger.warn(
					"Could not give back {} unstarted job(s); they pass to other replicas when their leases run out: {}",
					jobIds.size(), ex.toString());
		}
	}

	@Override
	public TakeOver takeOver(Set<UUID> running, int limit, int maxAttempts) {
		Instant now = this.clock.instant();
		List<UUID> candidates = this.store.jdbc()
			.queryForList(
					"SELECT id FROM jobs WHERE " + JobStore.UNFINISHED
							+ " AND (lease_owner IS NULL OR lease_until < ?) ORDER BY created_at",
					UUID.class, JobStore.at(now));
		List<Job> taken = new ArrayList<>();
		int gaveUp = 0;
		for (UUID id : candidates) {
			if (taken.size() >= limit) {
				break;
			}
			if (running.contains(id)) {
				continue;
			}
			if (this.store.jdbc()
				.update(TAKE_OVER, this.owner, JobStore.at(leaseUntil()), id, maxAttempts, JobStore.at(now)) == 1) {
				this.repository.findById(id).ifPresent(taken::add);
			}
			else if (this.store.giveUp(id, LocalJobCoordinator.gaveUpReason(maxAttempts), now,
					" AND attempts >= ? AND (lease_owner IS NULL OR lease_until < ?)", maxAttempts, JobStore.at(now))) {
				gaveUp++;
			}
		}
		return new TakeOver(taken, gaveUp);
	}

	/** Renews the leases of the jobs this process runs or has queued, and only those. */
	void heartbeat() {
		List<UUID> mine = this.inFlight.owned();
		if (mine.isEmpty()) {
			return;
		}
		try {
			Instant until = leaseUntil();
			this.store.jdbc()
				.batchUpdate("UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?", mine, mine.size(),
						(statement, id) -> {
							statement.setObject(1, JobStore.at(until));
							statement.setObject(2, id);
							statement.setString(3, this.owner);
						});
		}
		catch (RuntimeException ex) {
			logger.warn("Could not renew job leases; other replicas may take the jobs over: {}", ex.toString());
		}
	}

	@Override
	public void tidy() {
		this.store.jdbc()
			.update("DELETE FROM job_claims WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_claims.job_id AND j."
					+ JobStore.UNFINISHED + ")");
	}

	@Override
	public void close() throws InterruptedException {
		this.claims.shutdown();
		this.claims.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
		this.writer.close();
	}

	private Instant leaseUntil() {
		return this.clock.instant().plus(this.properties.lease());
	}

}
