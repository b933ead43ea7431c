package dev.infercache.job;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retention sweep runs by itself, more often than once a minute when the retention is
 * short.
 */
@SpringBootTest(properties = { "infercache.model.type=keyword", "infercache.jobs.retention=2s",
		"infercache.cache.ttl=1s", "infercache.cache.stale-retention=0s" })
class JobRetentionScheduleIntegrationTests {

	@Autowired
	DataSource dataSource;

	@Autowired
	JobRetention retention;

	@Test
	void oldJobsAreDeletedWithoutBeingAsked() {
		assertThat(this.retention.interval()).isEqualTo(Duration.ofSeconds(1));
		UUID old = JobRetentionIntegrationTests.insert(this.dataSource, "COMPLETED", Instant.now().minusSeconds(60));
		await().atMost(Duration.ofSeconds(15))
			.until(() -> new JdbcTemplate(this.dataSource).queryForObject("SELECT count(*) FROM jobs WHERE id = ?",
					Integer.class, old) == 0);
	}

}
