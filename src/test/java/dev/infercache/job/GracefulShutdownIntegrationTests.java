package dev.infercache.job;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.infercache.ApiClient;
import dev.infercache.ScriptedApplication;
import dev.infercache.ScriptedModel;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the context (what SIGTERM does) lets the running job finish, refuses new jobs
 * with 503 while it drains, takes readiness down, and leaves queued jobs queued in the
 * database, where the next start picks them up.
 */
class GracefulShutdownIntegrationTests {

	@TempDir
	Path dataDir;

	ScriptedModel model = new ScriptedModel();

	@AfterEach
	void releaseModel() {
		this.model.release();
	}

	@Test
	void runningJobsFinishQueuedJobsStayQueuedAndNewWorkIsRefused() throws Exception {
		ConfigurableApplicationContext context = start();
		ApiClient api = ApiClient.of(context);
		JobRepository jobs = context.getBean(JobRepository.class);
		this.model.hold();
		UUID running = ApiClient.jobId(api.predict("the job that is running at shutdown"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.model.waiting() == 1);
		UUID queued = ApiClient.jobId(api.predict("a job still queued at shutdown"));
		UUID alsoQueued = ApiClient.jobId(api.predict("another job still queued at shutdown"));

		CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
		ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
		assertThat(api.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		long jobsBefore = jobs.count();
		HttpResponse<String> refused = api.predict("a new text while shutting down");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(ApiClient.json(refused).get("detail").stringValue()).contains("shutting down");
		assertThat(jobs.count()).isEqualTo(jobsBefore);
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		assertThat(meters.get("infercache.jobs.rejected").tag("reason", "shutting_down").counter().count())
			.isEqualTo(1);
		assertThat(meters.get("infercache.jobs.rejected").tag("reason", "queue_full").counter().count()).isZero();
		assertThat(closing).isNotDone();

		this.model.release();
		closing.get(30, TimeUnit.SECONDS);
		assertThat(this.model.calls()).isEqualTo(1);
		assertThat(status(running)).isEqualTo("COMPLETED");
		assertThat(status(queued)).isEqualTo("QUEUED");
		assertThat(status(alsoQueued)).isEqualTo("QUEUED");

		try (ConfigurableApplicationContext restarted = start()) {
			JobRepository again = restarted.getBean(JobRepository.class);
			// the running job finished before the first instance stopped; the queued ones
			// were left
			// for this one (recovery runs them at start-up)
			Job finished = again.findById(running).orElseThrow();
			assertThat(finished.getStatus()).isEqualTo(JobStatus.COMPLETED);
			assertThat(finished.getAttempts()).isEqualTo(1);
			assertThat(again.count()).isEqualTo(3);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> again.findById(queued).orElseThrow().getStatus() == JobStatus.COMPLETED
						&& again.findById(alsoQueued).orElseThrow().getStatus() == JobStatus.COMPLETED);
			assertThat(again.findById(queued).orElseThrow().getAttempts()).isEqualTo(1);
		}
	}

	/**
	 * A job's status as the database has it, read with plain JDBC after the application
	 * stopped.
	 */
	private String status(UUID id) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(), "sa", "");
				PreparedStatement select = connection.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
			select.setObject(1, id);
			try (ResultSet row = select.executeQuery()) {
				assertThat(row.next()).as("job %s in the database", id).isTrue();
				return row.getString(1);
			}
		}
	}

	private String url() {
		return "jdbc:h2:file:" + this.dataDir.resolve("infercache") + ";DB_CLOSE_ON_EXIT=FALSE";
	}

	private ConfigurableApplicationContext start() {
		return ScriptedApplication.start(this.model, new String[0], "--server.port=0",
				"--spring.datasource.url=" + url(), "--infercache.jobs.threads=1", "--infercache.jobs.queue-capacity=5",
				"--infercache.jobs.shutdown-grace=30s", "--infercache.jobs.recovery-interval=1h");
	}

}
