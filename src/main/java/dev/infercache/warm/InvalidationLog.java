package dev.infercache.warm;

import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.infercache.cache.CacheCleared;
import dev.infercache.cache.CacheEntriesRemoved;
import dev.infercache.cache.CacheKey;
import dev.infercache.cache.CacheProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;

/**
 * Remembers, in the {@code cache_invalidations} table, what an operator took out of the
 * cache, so that warming on start does not bring it back from the job store: a result is
 * skipped when its key was removed, or the whole cache cleared, after it completed. Rows
 * older than the cache's TTL can no longer hide anything warming would load, and are
 * deleted as new ones are written. A failure to record is logged, never turned into a
 * failed {@code DELETE}: the entry is gone from the cache already.
 */
@Component
class InvalidationLog {

	private static final Logger logger = LoggerFactory.getLogger(InvalidationLog.class);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final CacheProperties cache;

	InvalidationLog(JdbcTemplate jdbc, Clock clock, CacheProperties cache) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.cache = cache;
	}

	@EventListener
	void cleared(CacheCleared cleared) {
		record(List.of(), cleared.at());
	}

	@EventListener
	void removed(CacheEntriesRemoved removed) {
		record(removed.keys(), removed.at());
	}

	private void record(List<CacheKey> keys, Instant at) {
		try {
			if (keys.isEmpty()) {
				this.jdbc.update(
						"INSERT INTO cache_invalidations (key_hash, model_name, model_version, invalidated_at)"
								+ " VALUES (?, ?, ?, ?)",
						new SqlParameterValue(Types.CHAR, null), new SqlParameterValue(Types.VARCHAR, null),
						new SqlParameterValue(Types.VARCHAR, null), WarmUpStore.at(at));
			}
			else {
				this.jdbc.batchUpdate("INSERT INTO cache_invalidations (key_hash, model_name, model_version,"
						+ " invalidated_at) VALUES (?, ?, ?, ?)", keys, keys.size(), (statement, key) -> {
							statement.setString(1, key.hash());
							statement.setString(2, key.model().name());
							statement.setString(3, key.model().version());
							statement.setObject(4, WarmUpStore.at(at));
						});
			}
			this.jdbc.update("DELETE FROM cache_invalidations WHERE invalidated_at < ?",
					WarmUpStore.at(this.clock.instant().minus(this.cache.ttl())));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record a cache removal; a restart may warm the entry back: {}", ex.toString());
		}
	}

	/**
	 * The removals since a time.
	 * @param since the oldest removal that matters
	 * @return the last clear and the last removal of each key since then
	 */
	Removals since(Instant since) {
		Instant[] lastClear = { null };
		Map<String, Instant> byKey = new HashMap<>();
		this.jdbc.query("SELECT key_hash, model_name, model_version, invalidated_at FROM cache_invalidations"
				+ " WHERE invalidated_at >= ?", (row) -> {
					Instant at = row.getObject(4, OffsetDateTime.class).toInstant();
					String hash = row.getString(1);
					if (hash == null) {
						if (lastClear[0] == null || at.isAfter(lastClear[0])) {
							lastClear[0] = at;
						}
					}
					else {
						byKey.merge(hash.trim() + "@" + row.getString(2) + "@" + row.getString(3), at,
								(a, b) -> a.isAfter(b) ? a : b);
					}
				}, WarmUpStore.at(since));
		return new Removals(lastClear[0], byKey);
	}

	/**
	 * What was removed.
	 *
	 * @param lastClear the last time the whole cache was cleared, or {@code null}
	 * @param byKey the last removal of each key, by {@code hash@model name@model version}
	 */
	record Removals(@Nullable Instant lastClear, Map<String, Instant> byKey) {

		/** Whether a result completed at a time was removed since. */
		boolean removed(CacheKey key, Instant completedAt) {
			if (this.lastClear != null && !completedAt.isAfter(this.lastClear)) {
				return true;
			}
			Instant at = this.byKey.get(key.hash() + "@" + key.model().name() + "@" + key.model().version());
			return at != null && !completedAt.isAfter(at);
		}

	}

}
