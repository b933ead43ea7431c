package dev.infercache.cache;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import dev.infercache.ApiClient;
import dev.infercache.MutableClock;
import dev.infercache.ScriptedBeans;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redis backend pointed at a closed port: every request is still answered (a first
 * request as a miss, by the model and the database; a repeat from this replica's
 * near-cache), never with a 5xx; the cache health and readiness say DEGRADED, and
 * readiness still answers 200, so the instance stays in rotation. Needs no Redis, so it
 * runs in the default build.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.cache.backend=redis", "spring.data.redis.url=redis://127.0.0.1:1",
				"infercache.cache.redis.retry-after=0s" })
@Import(ScriptedBeans.Clock.class)
class RedisOutageIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
	}

	@Test
	void predictionsAreComputedByTheModelAndRepeatsAreNearCacheHitsWhenRedisIsUnreachable() {
		HttpResponse<String> first = this.api.predict("what a great day without redis");
		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
		UUID jobId = ApiClient.jobId(first);
		assertThat(this.api.awaitJob(jobId).get("status").stringValue()).isEqualTo("completed");

		// kept in this replica's near-cache for the whole ttl, not the 1 s near-cache ttl
		this.clock.advance(Duration.ofMinutes(30));
		HttpResponse<String> again = this.api.predict("What a great day   without Redis");
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(ApiClient.jobId(again)).isEqualTo(jobId);
		assertThat(ApiClient.json(again).get("result").get("sentiment").stringValue()).isEqualTo("positive");

		// never past the entry's own expiry
		this.clock.advance(Duration.ofMinutes(30));
		assertThat(this.api.predict("what a great day without redis").statusCode()).isEqualTo(202);
	}

	@Test
	void cacheEndpointsAnswerWithoutAServerError() {
		HttpResponse<String> stats = this.api.get("/cache/stats");
		assertThat(stats.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(stats).get("backend").stringValue()).isEqualTo("redis-unavailable");
		assertThat(this.api.delete("/cache").statusCode()).isEqualTo(200);
	}

	@Test
	void cacheHealthIsDegradedWhileReadinessStaysUp() {
		this.api.predict("an awful day without redis");
		HttpResponse<String> cache = this.api.get("/actuator/health/cache");
		assertThat(cache.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(cache).get("status").stringValue()).isEqualTo("DEGRADED");
		assertThat(ApiClient.json(cache).get("components").get("sharedCache").get("details").get("errors").asLong())
			.isPositive();

		HttpResponse<String> readiness = this.api.get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(readiness).get("status").stringValue()).isEqualTo("DEGRADED");
		assertThat(this.api.get("/actuator/health").statusCode()).isEqualTo(200);
	}

}
