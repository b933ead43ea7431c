package dev.infercache.job;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads completed results back from the job table, newest first: what warming the cache
 * on start refills it from. Only results that were stored in the cache when they were
 * answered count (a job run under {@code Cache-Control: no-store} has
 * {@code store_result} false), and only those of one model version. The rows come through
 * the {@code completed_at} index, bounded below by the caller's cut-off (the cache's TTL)
 * and in number by its limit.
 */
@Component
public class CompletedResults {

	private static final String NEWEST_FIRST = "SELECT id, key_hash, label, confidence, label_scores, completed_at"
			+ " FROM jobs WHERE completed_at > ? AND status = 'COMPLETED' AND store_result = TRUE"
			+ " AND model_name = ? AND model_version = ? ORDER BY completed_at DESC FETCH FIRST %d ROWS ONLY";

	private final JobStore store;

	CompletedResults(JobStore store) {
		this.store = store;
	}

	/**
	 * Reads results, newest first.
	 * @param model the model whose results are read
	 * @param since only results completed after this
	 * @param limit the most rows read
	 * @param timeout the query's own time bound
	 * @param each takes each result; returning {@code false} stops the reading
	 * @return how many rows were read
	 */
	public int newestFirst(ModelId model, Instant since, int limit, Duration timeout, Predicate<Result> each) {
		JdbcTemplate jdbc = new JdbcTemplate(this.store.jdbc().getDataSource());
		jdbc.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
		jdbc.setFetchSize(1000);
		Integer read = jdbc.query(NEWEST_FIRST.formatted(limit), (rows) -> {
			int count = 0;
			while (rows.next()) {
				count++;
				Map<String, Double> scores = LabelScoresConverter.fromJson(rows.getString(5));
				Prediction prediction = new Prediction(rows.getString(3), rows.getDouble(4),
						(scores != null) ? scores : Map.of(), model);
				Result result = new Result(rows.getObject(1, UUID.class), rows.getString(2), prediction,
						rows.getObject(6, OffsetDateTime.class).toInstant());
				if (!each.test(result)) {
					break;
				}
			}
			return count;
		}, JobStore.at(since), model.name(), model.version());
		return (read != null) ? read : 0;
	}

	/**
	 * One completed result.
	 *
	 * @param jobId the job that computed it
	 * @param keyHash the 64-hex hash of its text
	 * @param prediction the answer
	 * @param completedAt when it was answered: when it entered the cache
	 */
	public record Result(UUID jobId, String keyHash, Prediction prediction, Instant completedAt) {
	}

}
