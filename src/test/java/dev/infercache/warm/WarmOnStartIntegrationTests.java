package dev.infercache.warm;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import dev.infercache.ApiClient;
import dev.infercache.InfercacheApplication;
import dev.infercache.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results answered before a restart are hits after it, with their original {@code Age},
 * when the cache is refilled from the job store at start-up; expired ones,
 * {@code no-store} ones and removed ones are not. A restart is a second application on
 * the same H2 file; time is a {@link MutableClock} both share, so ages are exact.
 */
class WarmOnStartIntegrationTests {

	@TempDir
	Path dataDir;

	final MutableClock clock = MutableClock.start();

	@Test
	void resultsAnsweredBeforeARestartAreHitsAfterItWithTheirOriginalAge() {
		try (ConfigurableApplicationContext before = start()) {
			ApiClient api = ApiClient.of(before);
			answer(api, "an old great text");
			this.clock.advance(Duration.ofMinutes(40));
			answer(api, "a new awful text");
			answer(api, "a private great text", "Cache-Control", "no-store");
			answer(api, "a removed great text");
			assertThat(api.delete("/cache?text=" + URLEncoder.encode("a removed great text", StandardCharsets.UTF_8))
				.statusCode()).isEqualTo(200);
		}
		this.clock.advance(Duration.ofMinutes(30));

		try (ConfigurableApplicationContext after = start()) {
			ApiClient api = ApiClient.of(after);
			HttpResponse<String> hit = api.predict("a new awful text", "Cache-Control", "only-if-cached");
			assertThat(hit.statusCode()).isEqualTo(200);
			assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
			assertThat(hit.headers().firstValue("Age")).hasValue("1800");
			assertThat(hit.headers().firstValue("Cache-Status")).hasValue("infercache; hit; ttl=1800");
			assertThat(ApiClient.json(hit).get("result").get("sentiment").stringValue()).isEqualTo("negative");

			assertThat(cached(api, "an old great text")).as("answered 70 minutes ago: expired").isFalse();
			assertThat(cached(api, "a private great text")).as("no-store").isFalse();
			assertThat(cached(api, "a removed great text")).as("removed before the restart").isFalse();

			MeterRegistry meters = after.getBean(MeterRegistry.class);
			assertThat(meters.get("infercache.cache.warm.start.entries").gauge().value()).isEqualTo(1);
			assertThat(meters.get("infercache.cache.warm.start.duration").timeGauge().value()).isPositive();
		}
	}

	@Test
	void warmingOnStartCanBeTurnedOff() {
		try (ConfigurableApplicationContext before = start()) {
			answer(ApiClient.of(before), "a great text");
		}
		try (ConfigurableApplicationContext after = start("--infercache.cache.warm-on-start=false")) {
			assertThat(cached(ApiClient.of(after), "a great text")).isFalse();
		}
	}

	@Test
	void aClearBeforeTheRestartIsNotUndoneByIt() {
		try (ConfigurableApplicationContext before = start()) {
			ApiClient api = ApiClient.of(before);
			answer(api, "a great text");
			assertThat(api.delete("/cache").statusCode()).isEqualTo(200);
			this.clock.advance(Duration.ofSeconds(1));
			answer(api, "an awful text");
		}
		try (ConfigurableApplicationContext after = start()) {
			ApiClient api = ApiClient.of(after);
			assertThat(cached(api, "a great text")).isFalse();
			assertThat(cached(api, "an awful text")).isTrue();
		}
	}

	private ConfigurableApplicationContext start(String... extra) {
		String[] args = new String[3 + extra.length];
		args[0] = "--server.port=0";
		args[1] = "--spring.datasource.url=jdbc:h2:file:" + this.dataDir.resolve("infercache")
				+ ";DB_CLOSE_ON_EXIT=FALSE";
		args[2] = "--infercache.model.type=keyword";
		System.arraycopy(extra, 0, args, 3, extra.length);
		return new SpringApplicationBuilder(InfercacheApplication.class)
			.initializers((context) -> context.getBeanFactory().registerSingleton("testClock", (Clock) this.clock))
			.run(args);
	}

	private static void answer(ApiClient api, String text, String... headers) {
		String[] all = new String[headers.length + 2];
		all[0] = "Prefer";
		all[1] = "wait=10";
		System.arraycopy(headers, 0, all, 2, headers.length);
		assertThat(api.predict(text, all).statusCode()).as(text).isEqualTo(200);
	}

	private static boolean cached(ApiClient api, String text) {
		return api.predict(text, "Cache-Control", "only-if-cached").statusCode() == 200;
	}

}
