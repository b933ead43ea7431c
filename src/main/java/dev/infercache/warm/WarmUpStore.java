package dev.infercache.warm;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code warmups} and {@code warmup_texts} tables (migration V4), in plain JDBC. A
 * warm-up's texts are deleted as they are counted, in the same transaction as the
 * counters move, so the texts left are exactly those still to do, and the counters never
 * count a text twice.
 */
@Component
class WarmUpStore {

	/** Texts per INSERT batch when a warm-up is created. */
	private static final int INSERT_BATCH = 1000;

	private static final String COLUMNS = "id, status, total, cached_before, computed, failed, started_at, completed_at";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	WarmUpStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * Writes a new warm-up and its texts in one transaction.
	 * @param owner the lease holder (cluster mode), or {@code null}
	 * @param leaseUntil until when the lease holds; ignored without an owner
	 */
	void create(UUID id, List<String> texts, Instant now, @Nullable String owner, @Nullable Instant leaseUntil) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update(
					"INSERT INTO warmups (id, status, total, cached_before, computed, failed, lease_owner,"
							+ " lease_until, started_at) VALUES (?, 'RUNNING', ?, 0, 0, 0, ?, ?, ?)",
					id, texts.size(), new SqlParameterValue(Types.VARCHAR, owner),
					new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
							(owner != null && leaseUntil != null) ? at(leaseUntil) : null),
					at(now));
			for (int from = 0; from < texts.size(); from += INSERT_BATCH) {
				List<Integer> ordinals = IntStream.range(from, Math.min(texts.size(), from + INSERT_BATCH))
					.boxed()
					.toList();
				this.jdbc.batchUpdate("INSERT INTO warmup_texts (warmup_id, ordinal, input_text) VALUES (?, ?, ?)",
						ordinals, ordinals.size(), (statement, ordinal) -> {
							statement.setObject(1, id);
							statement.setInt(2, ordinal);
							statement.setString(3, texts.get(ordinal));
						});
			}
		});
	}

	Optional<WarmUp> find(UUID id) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM warmups WHERE id = ?", WarmUpStore::warmUp, id)
			.stream()
			.findFirst();
	}

	/** The next texts still to do, in order. */
	List<Text> next(UUID id, int limit) {
		return this.jdbc.query("SELECT ordinal, input_text FROM warmup_texts WHERE warmup_id = ? ORDER BY ordinal"
				+ " FETCH FIRST " + limit + " ROWS ONLY", (row, n) -> new Text(row.getInt(1), row.getString(2)), id);
	}

	/**
	 * Counts a batch of texts done and deletes them, in one transaction; with an owner,
	 * only while it still holds the lease (renewed by the same statement).
	 * @param through the last ordinal done
	 * @return false when the owner no longer holds the warm-up (another replica took it
	 * over)
	 */
	boolean advance(UUID id, int through, int cached, int computed, int failed, @Nullable String owner,
			@Nullable Instant leaseUntil) {
		Boolean advanced = this.transactions.execute((status) -> {
			int updated = (owner != null) ? this.jdbc
				.update("UPDATE warmups SET cached_before = cached_before + ?, computed = computed + ?,"
						+ " failed = failed + ?, lease_until = ? WHERE id = ? AND status = 'RUNNING' AND lease_owner = ?",
						cached, computed, failed, at(leaseUntil), id, owner)
					: this.jdbc.update(
							"UPDATE warmups SET cached_before = cached_before + ?, computed = computed + ?,"
									+ " failed = failed + ? WHERE id = ? AND status = 'RUNNING'",
							cached, computed, failed, id);
			if (updated == 0) {
				status.setRollbackOnly();
				return false;
			}
			this.jdbc.update("DELETE FROM warmup_texts WHERE warmup_id = ? AND ordinal <= ?", id, through);
			return true;
		});
		return Boolean.TRUE.equals(advanced);
	}

	/** Ends a warm-up whose texts are all done (or, {@code failed}, given up). */
	void end(UUID id, boolean failed, Instant now) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update("UPDATE warmups SET status = ?, completed_at = ?, lease_owner = NULL, lease_until = NULL"
					+ " WHERE id = ? AND status = 'RUNNING'", failed ? "FAILED" : "COMPLETED", at(now), id);
			this.jdbc.update("DELETE FROM warmup_texts WHERE warmup_id = ?", id);
		});
	}

	/** Running warm-ups, oldest first. */
	List<UUID> running() {
		return this.jdbc.queryForList("SELECT id FROM warmups WHERE status = 'RUNNING' ORDER BY started_at",
				UUID.class);
	}

	/**
	 * Takes a running warm-up over for an owner, if no live lease holds it.
	 * @return whether it is now the owner's
	 */
	boolean claim(UUID id, String owner, Instant leaseUntil, Instant now) {
		return this.jdbc.update(
				"UPDATE warmups SET lease_owner = ?, lease_until = ? WHERE id = ? AND status = 'RUNNING'"
						+ " AND (lease_owner IS NULL OR lease_until < ? OR lease_owner = ?)",
				owner, at(leaseUntil), id, at(now), owner) == 1;
	}

	/** Renews an owner's lease on a warm-up; false when it no longer holds it. */
	boolean renew(UUID id, String owner, Instant leaseUntil) {
		return this.jdbc.update(
				"UPDATE warmups SET lease_until = ? WHERE id = ? AND status = 'RUNNING'" + " AND lease_owner = ?",
				at(leaseUntil), id, owner) == 1;
	}

	/** Lets another replica take a warm-up over at once (shutdown). */
	void release(UUID id, String owner) {
		this.jdbc.update("UPDATE warmups SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
				id, owner);
	}

	/** Deletes warm-ups that ended before a time. */
	int deleteEndedBefore(Instant cutoff) {
		return this.jdbc.update("DELETE FROM warmups WHERE status <> 'RUNNING' AND completed_at < ?", at(cutoff));
	}

	private static WarmUp warmUp(ResultSet row, int n) throws SQLException {
		OffsetDateTime completed = row.getObject(8, OffsetDateTime.class);
		return new WarmUp(row.getObject(1, UUID.class), row.getString(2).toLowerCase(Locale.ROOT), row.getInt(3),
				row.getInt(4), row.getInt(5), row.getInt(6), row.getObject(7, OffsetDateTime.class).toInstant(),
				(completed != null) ? completed.toInstant() : null);
	}

	static OffsetDateTime at(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/**
	 * One text of a warm-up.
	 *
	 * @param ordinal its place among the texts given
	 * @param text the text
	 */
	record Text(int ordinal, String text) {
	}

}
