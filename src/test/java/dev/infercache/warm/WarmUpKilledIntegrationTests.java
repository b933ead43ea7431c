package dev.infercache.warm;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.infercache.ApiClient;
import dev.infercache.InfercacheApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A warm-up interrupted by {@code kill -9} resumes when the application starts again on
 * the same job store, and ends with every text cached: the first process runs in a JVM of
 * its own, with a slow model and one worker, and is killed while the warm-up is under
 * way.
 */
class WarmUpKilledIntegrationTests {

	private static final int TEXTS = 40;

	@TempDir
	Path dataDir;

	private Process doomed;

	@AfterEach
	void stop() {
		if (this.doomed != null) {
			this.doomed.destroyForcibly();
		}
	}

	@Test
	void aWarmUpInterruptedByKillResumesAfterTheRestart() throws Exception {
		int port = freePort();
		this.doomed = launch(port);
		ApiClient doomedApi = new ApiClient(port);
		await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(() -> doomedApi.get("/actuator/health/readiness").statusCode() == 200);
		List<String> texts = IntStream.range(0, TEXTS)
			.mapToObj((i) -> "a great text " + i + " that outlives a kill")
			.toList();
		HttpResponse<String> accepted = doomedApi.post("/cache/warm", "text/plain", String.join("\n", texts));
		assertThat(accepted.statusCode()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> ApiClient.json(doomedApi.get(location)).get("computed").intValue() >= 3);
		this.doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL

		try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(InfercacheApplication.class)
			.run("--server.port=0", "--spring.datasource.url=" + url(), "--infercache.model.type=keyword")) {
			ApiClient api = ApiClient.of(restarted);
			JsonNode[] last = new JsonNode[1];
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				last[0] = ApiClient.json(api.get(location));
				return last[0].get("status").stringValue().equals("completed");
			});
			assertThat(last[0].get("total").intValue()).isEqualTo(TEXTS);
			assertThat(last[0].get("cached_before").intValue() + last[0].get("computed").intValue()).isEqualTo(TEXTS);
			assertThat(last[0].get("failed").intValue()).isZero();
			for (String text : texts) {
				assertThat(api.predict(text, "Cache-Control", "only-if-cached").statusCode()).as(text).isEqualTo(200);
			}
		}
	}

	private Process launch(int port) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
						System.getProperty("java.class.path"), InfercacheApplication.class.getName(),
						"--server.port=" + port, "--spring.datasource.url=" + url(), "--infercache.model.type=keyword",
						"--infercache.model.simulated-latency=150ms", "--infercache.jobs.threads=1"));
		File log = this.dataDir.resolve("doomed.log").toFile();
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	/**
	 * The job store as the application configures it by default: {@code WRITE_DELAY=0},
	 * so that every commit is on disk before it is answered (H2's own default holds
	 * commits back for up to half a second, which a kill -9 loses).
	 */
	private String url() {
		return "jdbc:h2:file:" + this.dataDir.resolve("infercache") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
