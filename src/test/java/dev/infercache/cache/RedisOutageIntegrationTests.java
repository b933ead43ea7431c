package dev.infercache.cache;

import java.net.http.HttpResponse;

import dev.infercache.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redis backend pointed at a closed port: every request is still answered (as a miss, by the
 * model and the database), never with a 5xx; the cache health and readiness say DEGRADED, and
 * readiness still answers 200, so the instance stays in rotation. Needs no Redis, so it runs in the default build.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.cache.backend=redis", "spring.data.redis.url=redis://127.0.0.1:1",
				"infercache.cache.redis.retry-after=0s" })
class RedisOutageIntegrationTests {

	@LocalServerPort
	int port;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
	}

	@Test
	void predictionsAreServedAsMissesWhenRedisIsUnreachable() {
		HttpResponse<String> first = this.api.predict("what a great day without redis");
		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
		assertThat(this.api.awaitJob(ApiClient.jobId(first)).get("status").stringValue()).isEqualTo("completed");

		HttpResponse<String> again = this.api.predict("what a great day without redis");
		assertThat(again.statusCode()).isEqualTo(202);
		assertThat(again.headers().firstValue("X-Cache")).hasValue("MISS");
		assertThat(this.api.awaitJob(ApiClient.jobId(again)).get("result").get("sentiment").stringValue())
			.isEqualTo("positive");
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
		assertThat(ApiClient.json(cache).get("components").get("sharedCache").get("details").get("errors").asLong()).isPositive();

		HttpResponse<String> readiness = this.api.get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(readiness).get("status").stringValue()).isEqualTo("DEGRADED");
		assertThat(this.api.get("/actuator/health").statusCode()).isEqualTo(200);
	}

}
