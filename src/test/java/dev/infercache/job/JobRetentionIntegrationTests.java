package dev.infercache.job;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import dev.infercache.ApiClient;
import dev.infercache.cache.CacheKey;
import dev.infercache.model.ModelId;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code infercache.jobs.retention}: finished jobs older than it are deleted (then
 * {@code GET /jobs/{id}} answers 404), jobs within it are still served, and unfinished
 * jobs are never deleted however old.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "infercache.model.type=keyword",
		"infercache.jobs.retention=1h", "infercache.cache.ttl=30m", "infercache.cache.stale-retention=0s" })
class JobRetentionIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	JobRetention retention;

	@Test
	void finishedJobsPastRetentionAreDeletedAndRecentOnesServed() {
		ApiClient api = new ApiClient(this.port);
		UUID recent = ApiClient.jobId(api.predict("a great recent result"));
		assertThat(api.awaitJob(recent).get("status").stringValue()).isEqualTo("completed");
		UUID old = insert("COMPLETED", Instant.now().minus(Duration.ofHours(2)));
		UUID oldFailed = insert("FAILED", Instant.now().minus(Duration.ofHours(3)));
		UUID oldUnfinished = insert("QUEUED", null);
		assertThat(api.get("/jobs/" + old).statusCode()).isEqualTo(200);

		assertThat(this.retention.sweep()).isEqualTo(2);

		assertThat(api.get("/jobs/" + old).statusCode()).isEqualTo(404);
		assertThat(api.get("/jobs/" + oldFailed).statusCode()).isEqualTo(404);
		assertThat(api.get("/jobs/" + recent).statusCode()).isEqualTo(200);
		assertThat(new JdbcTemplate(this.dataSource).queryForObject("SELECT count(*) FROM jobs WHERE id = ?",
				Integer.class, oldUnfinished))
			.as("unfinished jobs are never deleted")
			.isEqualTo(1);
		new JdbcTemplate(this.dataSource).update("DELETE FROM jobs WHERE id = ?", oldUnfinished);
	}

	@Test
	void aRetentionNotLongerThanWhatTheCacheServesIsRefused() {
		assertThatThrownBy(() -> new org.springframework.boot.builder.SpringApplicationBuilder(
				dev.infercache.InfercacheApplication.class)
			.run("--server.port=0", "--infercache.model.type=keyword", "--spring.datasource.url=jdbc:h2:mem:retention",
					"--infercache.jobs.retention=1h", "--infercache.cache.ttl=1h"))
			.hasRootCauseInstanceOf(IllegalArgumentException.class)
			.rootCause()
			.hasMessageContaining("infercache.jobs.retention (PT1H) must exceed");
	}

	static UUID insert(DataSource dataSource, String status, Instant completedAt) {
		return insertInto(dataSource, status, completedAt);
	}

	private UUID insert(String status, Instant completedAt) {
		return insertInto(this.dataSource, status, completedAt);
	}

	private static UUID insertInto(DataSource dataSource, String status, Instant completedAt) {
		UUID id = UUID.randomUUID();
		String text = "an old text " + id;
		new JdbcTemplate(dataSource).update(
				"INSERT INTO jobs (id, input_text, key_hash, model_name, model_version, store_result, status, attempts,"
						+ " created_at, completed_at, version) VALUES (?, ?, ?, 'keyword-rules', '1', TRUE, ?, 1, ?, ?, 0)",
				id, text, CacheKey.of(text, new ModelId("keyword-rules", "1")).hash(), status,
				Timestamp.from(
						(completedAt != null) ? completedAt.minusSeconds(1) : Instant.now().minus(Duration.ofDays(9))),
				(completedAt != null) ? Timestamp.from(completedAt) : null);
		return id;
	}

}
