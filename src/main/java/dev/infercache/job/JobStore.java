package dev.infercache.job;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import dev.infercache.model.SentimentModel;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The job table, in plain JDBC: a miss costs one batched INSERT and one batched UPDATE,
 * with no SELECT before either. {@link JobRepository} offers its reads to the rest of the
 * application.
 *
 * <p>
 * A job is never marked {@code RUNNING} in the table: who runs it is already known (this
 * process in single-instance mode, the lease holder in cluster mode), so that write would
 * buy nothing. It is inserted {@code QUEUED} with its first attempt counted, and each
 * later start (recovery) counts one more in the same statement that takes the job over.
 */
final class JobStore {

	/** Longest label a job row holds ({@code jobs.label}). */
	static final int MAX_LABEL_LENGTH = 100;

	/** Longest label-score JSON a job row holds ({@code jobs.label_scores}). */
	static final int MAX_LABEL_SCORES_LENGTH = 4000;

	static final String UNFINISHED = "status IN ('QUEUED', 'RUNNING')";

	private static final String INSERT = "INSERT INTO jobs (id, input_text, key_hash, model_name, model_version,"
			+ " store_result, status, attempts, created_at, lease_owner, lease_until, version)"
			+ " VALUES (?, ?, ?, ?, ?, ?, 'QUEUED', 1, ?, ?, ?, 0)";

	private static final String FINISH = "UPDATE jobs SET status = ?, label = ?, confidence = ?, label_scores = ?,"
			+ " error = ?, model_name = ?, model_version = ?, started_at = ?, completed_at = ?, lease_owner = NULL,"
			+ " lease_until = NULL, version = version + 1 WHERE id = ? AND " + UNFINISHED;

	private static final String COLUMNS = "id, input_text, key_hash, model_name, model_version, store_result, status,"
			+ " label, confidence, label_scores, error, attempts, created_at, started_at, completed_at";

	private static final RowMapper<Job> JOB = (row, n) -> new Job(row.getObject("id", UUID.class),
			row.getString("input_text"), row.getString("key_hash"),
			new ModelId(row.getString("model_name"), row.getString("model_version")), row.getBoolean("store_result"),
			JobStatus.valueOf(row.getString("status")), row.getString("label"),
			row.getObject("confidence", Double.class), LabelScoresConverter.fromJson(row.getString("label_scores")),
			row.getString("error"), row.getInt("attempts"), instant(row, "created_at"), instant(row, "started_at"),
			instant(row, "completed_at"));

	private final JdbcTemplate jdbc;

	JobStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	JdbcTemplate jdbc() {
		return this.jdbc;
	}

	/**
	 * Inserts new jobs, queued, with their first attempt counted.
	 * @param jobs the jobs
	 * @param leaseOwner the lease holder (cluster mode), or {@code null}
	 * @param leaseUntil until when the lease holds; ignored without an owner
	 */
	void insert(List<Job> jobs, @Nullable String leaseOwner, @Nullable Instant leaseUntil) {
		this.jdbc.batchUpdate(INSERT, jobs, jobs.size(), (statement, job) -> {
			statement.setObject(1, job.getId());
			statement.setString(2, job.getInputText());
			statement.setString(3, job.getKeyHash());
			statement.setString(4, job.getModel().name());
			statement.setString(5, job.getModel().version());
			statement.setBoolean(6, job.isStoreResult());
			statement.setObject(7, at(job.getCreatedAt()));
			statement.setString(8, leaseOwner);
			statement.setObject(9, (leaseOwner != null && leaseUntil != null) ? at(leaseUntil) : null,
					Types.TIMESTAMP_WITH_TIMEZONE);
		});
	}

	/**
	 * Records how jobs ended. With a lease owner, only a job that owner still holds is
	 * updated: the fence against a replica that lost its lease.
	 * @param ended finished jobs (completed or failed, in memory)
	 * @param leaseOwner the lease holder that must still hold each job (cluster mode), or
	 * {@code null}
	 * @return for each job, whether its row was updated (unfinished and, with an owner,
	 * still held by it)
	 */
	boolean[] finish(List<Job> ended, @Nullable String leaseOwner) {
		String sql = (leaseOwner != null) ? FINISH + " AND lease_owner = ?" : FINISH;
		int[][] counts = this.jdbc.batchUpdate(sql, ended, ended.size(), (statement, job) -> {
			bindEnd(statement, job);
			if (leaseOwner != null) {
				statement.setString(11, leaseOwner);
			}
		});
		boolean[] updated = new boolean[ended.size()];
		int i = 0;
		for (int[] batch : counts) {
			for (int count : batch) {
				// Statement.SUCCESS_NO_INFO (-2): the driver ran it but did not count; it
				// matched
				updated[i++] = count != 0;
			}
		}
		return updated;
	}

	/**
	 * Fails an unfinished job for good.
	 * @param jobId the job
	 * @param reason the error recorded
	 * @param now the time
	 * @param extraCondition more of the WHERE clause (cluster mode: nobody holds a live
	 * lease)
	 * @param extraArguments its arguments
	 * @return whether the job was unfinished and is now failed
	 */
	boolean giveUp(UUID jobId, String reason, Instant now, String extraCondition, Object... extraArguments) {
		Object[] arguments = new Object[3 + extraArguments.length];
		arguments[0] = reason;
		arguments[1] = at(now);
		arguments[2] = jobId;
		System.arraycopy(extraArguments, 0, arguments, 3, extraArguments.length);
		return this.jdbc.update(
				"UPDATE jobs SET status = 'FAILED', error = ?, completed_at = ?, lease_owner = NULL,"
						+ " lease_until = NULL, version = version + 1 WHERE id = ? AND " + UNFINISHED + extraCondition,
				arguments) == 1;
	}

	/**
	 * Takes back the attempt counted for unfinished jobs that were queued but never
	 * started, and releases their leases.
	 * @param jobIds the jobs
	 * @param leaseOwner the lease holder that must still hold each job (cluster mode), or
	 * {@code null}
	 */
	void uncountAttempt(Collection<UUID> jobIds, @Nullable String leaseOwner) {
		if (jobIds.isEmpty()) {
			return;
		}
		String sql = "UPDATE jobs SET attempts = attempts - 1, lease_owner = NULL, lease_until = NULL WHERE id = ? AND "
				+ UNFINISHED + " AND attempts > 0" + ((leaseOwner != null) ? " AND lease_owner = ?" : "");
		this.jdbc.batchUpdate(sql, jobIds, jobIds.size(), (statement, id) -> {
			statement.setObject(1, id);
			if (leaseOwner != null) {
				statement.setString(2, leaseOwner);
			}
		});
	}

	/**
	 * Deletes up to {@code limit} jobs that finished before a time, oldest first: their
	 * ids are read through the {@code completed_at} index, then deleted by primary key in
	 * one statement. (One statement with an {@code IN (SELECT ...)} was evaluated row by
	 * row over the whole table by H2: a minute of CPU at 300,000 rows.)
	 * @return how many were deleted
	 */
	int deleteFinishedBefore(Instant cutoff, int limit) {
		List<UUID> ids = this.jdbc.queryForList("SELECT id FROM jobs WHERE completed_at < ? ORDER BY completed_at"
				+ " FETCH FIRST " + limit + " ROWS ONLY", UUID.class, at(cutoff));
		if (ids.isEmpty()) {
			return 0;
		}
		return this.jdbc.update("DELETE FROM jobs WHERE id IN (" + "?, ".repeat(ids.size() - 1) + "?)", ids.toArray());
	}

	/**
	 * Reads one job.
	 * @param id its id
	 * @return the job, or empty when there is none
	 */
	Optional<Job> find(UUID id) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", JOB, id).stream().findFirst();
	}

	/**
	 * Reads the jobs in some states, oldest first.
	 * @param statuses the states
	 * @return the jobs
	 */
	List<Job> withStatus(Collection<JobStatus> statuses) {
		if (statuses.isEmpty()) {
			return List.of();
		}
		return this.jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE status IN (" + "?, ".repeat(statuses.size() - 1)
				+ "?) ORDER BY created_at", JOB, statuses.stream().map(JobStatus::name).toArray());
	}

	/** How many jobs the table holds. */
	long count() {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM jobs", Long.class);
		return (count != null) ? count : 0;
	}

	/** How many jobs were created for a key hash. */
	long countByKeyHash(String keyHash) {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE key_hash = ?", Long.class, keyHash);
		return (count != null) ? count : 0;
	}

	/** Unfinished jobs, oldest first. */
	List<UUID> unfinished() {
		return this.jdbc.queryForList("SELECT id FROM jobs WHERE " + UNFINISHED + " ORDER BY created_at", UUID.class);
	}

	/**
	 * Checks, when the application starts, that every label the model can answer fits the
	 * job table, so that no job can end with a result that cannot be recorded (it would
	 * run again on every recovery pass until its attempts ran out).
	 * @param model the model
	 * @throws IllegalStateException naming the label or the size that does not fit
	 */
	static void requireStorableLabels(SentimentModel model) {
		Map<String, Double> widest = new java.util.LinkedHashMap<>();
		for (String label : model.labels()) {
			if (label.length() > MAX_LABEL_LENGTH) {
				throw new IllegalStateException("Model " + model.id() + " has a label of " + label.length()
						+ " characters; a job stores at most " + MAX_LABEL_LENGTH + ": '" + label.substring(0, 40)
						+ "...'");
			}
			// the longest a score can print: -1.2345678901234567E-100
			widest.put(label, -1.2345678901234567E-100);
		}
		String scores = LabelScoresConverter.toJson(widest);
		if (scores != null && scores.length() > MAX_LABEL_SCORES_LENGTH) {
			throw new IllegalStateException(
					"Model " + model.id() + " has " + widest.size() + " labels; their scores take up to "
							+ scores.length() + " characters, and a job stores at most " + MAX_LABEL_SCORES_LENGTH);
		}
	}

	private static void bindEnd(PreparedStatement statement, Job job) throws SQLException {
		Prediction prediction = job.getPrediction();
		statement.setString(1, job.getStatus().name());
		statement.setString(2, (prediction != null) ? prediction.label() : null);
		statement.setObject(3, (prediction != null) ? prediction.confidence() : null, Types.DOUBLE);
		statement.setString(4, (prediction != null) ? LabelScoresConverter.toJson(prediction.labelScores()) : null);
		statement.setString(5, job.getError());
		statement.setString(6, job.getModel().name());
		statement.setString(7, job.getModel().version());
		statement.setObject(8, (job.getStartedAt() != null) ? at(job.getStartedAt()) : null,
				Types.TIMESTAMP_WITH_TIMEZONE);
		statement.setObject(9, (job.getCompletedAt() != null) ? at(job.getCompletedAt()) : null,
				Types.TIMESTAMP_WITH_TIMEZONE);
		statement.setObject(10, job.getId());
	}

	private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
		OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
		return (at != null) ? at.toInstant() : null;
	}

	static OffsetDateTime at(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
