package dev.infercache.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.infercache.ApiClient;
import dev.infercache.ClusterServers;
import dev.infercache.InfercacheApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica killed with jobs in flight ({@code kill -9}: no shutdown, no lease released)
 * and restarted under the same {@code infercache.cluster.instance-id}, as a Kubernetes
 * pod restart or docker-compose's pinned names do, next to a second replica: the dead
 * process's leases are not mistaken for the new one's (each process holds its leases
 * under a token of its own), so they run out, and every job is finished within one lease
 * plus one recovery interval, exactly once.
 */
class RestartUnderSameNameClusterTests {

	private static final int JOBS = 12;

	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final Duration RECOVERY = Duration.ofSeconds(1);

	private final String schema = ClusterServers.freshSchema();

	private final Replicas replicas = new Replicas();

	private Process doomed;

	@TempDir
	Path logs;

	@AfterEach
	void stop() throws SQLException {
		if (this.doomed != null) {
			this.doomed.destroyForcibly();
		}
		this.replicas.close();
		ClusterServers.dropSchema(this.schema);
	}

	@Test
	void aReplicaKilledAndRestartedUnderItsNameLosesNoJob() throws Exception {
		// the doomed replica: its own JVM, a slow model, one worker, so jobs queue up
		// behind it
		int port = freePort();
		this.doomed = launch(port, "--infercache.model.simulated-latency=400ms", "--infercache.jobs.threads=1");
		ApiClient doomedApi = new ApiClient(port);
		await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(() -> doomedApi.get("/actuator/health/readiness").statusCode() == 200);
		Map<UUID, String> jobs = new java.util.HashMap<>();
		for (int i = 0; i < JOBS; i++) {
			String text = "a great text number " + i + " that outlives its replica";
			HttpResponse<String> accepted = doomedApi.predict(text);
			assertThat(accepted.statusCode()).isEqualTo(202);
			jobs.put(ApiClient.jobId(accepted), text);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> finished(jobs.keySet()) >= 1);
		assertThat(leaseOwners(jobs.keySet())).allSatisfy((owner) -> assertThat(owner).startsWith("replica-x#"));
		this.doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
		int leftUnfinished = JOBS - finished(jobs.keySet());
		assertThat(leftUnfinished).as("jobs the killed replica left behind").isPositive();

		// the same name comes back, next to another replica
		long restart = System.nanoTime();
		start("replica-x");
		start("replica-y");
		Duration ready = Duration.ofNanos(System.nanoTime() - restart);

		await().atMost(LEASE.plus(RECOVERY).plus(ready).plus(Duration.ofSeconds(10)))
			.until(() -> finished(jobs.keySet()) == JOBS);
		for (Map.Entry<UUID, String> job : jobs.entrySet()) {
			assertThat(status(job.getKey())).isEqualTo("COMPLETED");
			assertThat(rowsFor(job.getValue())).as("one row per text").isEqualTo(1);
		}
	}

	private Process launch(int port, String... extra) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
						System.getProperty("java.class.path"), InfercacheApplication.class.getName()));
		command.addAll(arguments("replica-x"));
		command.add("--server.port=" + port);
		command.addAll(List.of(extra));
		File log = this.logs.resolve("doomed.log").toFile();
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	private ConfigurableApplicationContext start(String name) {
		return this.replicas.start(arguments(name));
	}

	private List<String> arguments(String name) {
		return Replicas.arguments(List.of(ClusterServers.postgresArgs(this.schema)), Replicas.named(name),
				List.of("--infercache.model.type=keyword", "--infercache.cluster.lease=" + LEASE.toSeconds() + "s",
						"--infercache.cluster.heartbeat=1s",
						"--infercache.jobs.recovery-interval=" + RECOVERY.toSeconds() + "s"));
	}

	private int finished(java.util.Collection<UUID> ids) throws SQLException {
		int count = 0;
		for (UUID id : ids) {
			String status = status(id);
			if (status.equals("COMPLETED") || status.equals("FAILED")) {
				count++;
			}
		}
		return count;
	}

	private String status(UUID id) throws SQLException {
		return single("SELECT status FROM " + this.schema + ".jobs WHERE id = ?", id);
	}

	private List<String> leaseOwners(java.util.Collection<UUID> ids) throws SQLException {
		List<String> owners = new ArrayList<>();
		for (UUID id : ids) {
			String owner = single("SELECT lease_owner FROM " + this.schema + ".jobs WHERE id = ?", id);
			if (owner != null) {
				owners.add(owner);
			}
		}
		return owners;
	}

	private int rowsFor(String text) throws SQLException {
		return Integer.parseInt(single("SELECT count(*) FROM " + this.schema + ".jobs WHERE input_text = ?", text));
	}

	private static String single(String sql, Object parameter) throws SQLException {
		try (Connection connection = ClusterServers.connect();
				PreparedStatement query = connection.prepareStatement(sql)) {
			query.setObject(1, parameter);
			try (ResultSet rows = query.executeQuery()) {
				assertThat(rows.next()).isTrue();
				return rows.getString(1);
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
