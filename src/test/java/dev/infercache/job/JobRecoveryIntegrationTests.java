package dev.infercache.job;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.infercache.InfercacheApplication;
import dev.infercache.cache.CacheKey;
import dev.infercache.cache.Freshness;
import dev.infercache.cache.PredictionCache;
import dev.infercache.model.SentimentModel;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs a crash left behind (status RUNNING or QUEUED in the database) are run again when
 * the application starts, and end completed with their result cached.
 */
class JobRecoveryIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void jobsLeftUnfinishedByACrashCompleteAfterTheNextStart() throws SQLException {
		String url = "jdbc:h2:file:" + this.dataDir.resolve("infercache") + ";DB_CLOSE_ON_EXIT=FALSE";
		Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
		UUID running = UUID.randomUUID();
		UUID queued = UUID.randomUUID();
		try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
			insert(connection, running, "a great crash survivor", "RUNNING", 1);
			insert(connection, queued, "an awful queue survivor", "QUEUED", 0);
		}

		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(InfercacheApplication.class)
			.run("--server.port=0", "--spring.datasource.url=" + url, "--infercache.model.type=keyword")) {
			JobRepository jobs = context.getBean(JobRepository.class);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> jobs.findById(running).orElseThrow().getStatus() == JobStatus.COMPLETED
						&& jobs.findById(queued).orElseThrow().getStatus() == JobStatus.COMPLETED);

			Job recovered = jobs.findById(running).orElseThrow();
			assertThat(recovered.getAttempts()).isEqualTo(2);
			assertThat(recovered.getPrediction()).isNotNull();
			assertThat(recovered.getPrediction().label()).isEqualTo("positive");
			assertThat(jobs.findById(queued).orElseThrow().getPrediction().label()).isEqualTo("negative");
			assertThat(jobs.count()).isEqualTo(2);

			PredictionCache cache = context.getBean(PredictionCache.class);
			SentimentModel model = context.getBean(SentimentModel.class);
			assertThat(cache.get(CacheKey.of("a great crash survivor", model.id()), Freshness.DEFAULT)).isNotNull();
		}
	}

	private static void insert(Connection connection, UUID id, String text, String status, int attempts)
			throws SQLException {
		String sql = "INSERT INTO jobs (id, input_text, key_hash, model_name, model_version, store_result, status,"
				+ " attempts, created_at, started_at, version) VALUES (?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, 0)";
		try (PreparedStatement insert = connection.prepareStatement(sql)) {
			insert.setObject(1, id);
			insert.setString(2, text);
			insert.setString(3, CacheKey.of(text, new dev.infercache.model.ModelId("keyword-rules", "1")).hash());
			insert.setString(4, "keyword-rules");
			insert.setString(5, "1");
			insert.setString(6, status);
			insert.setInt(7, attempts);
			insert.setTimestamp(8, Timestamp.from(Instant.now()));
			insert.setTimestamp(9, (attempts > 0) ? Timestamp.from(Instant.now()) : null);
			insert.executeUpdate();
		}
	}

}
