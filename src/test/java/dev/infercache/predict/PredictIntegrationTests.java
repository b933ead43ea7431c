package dev.infercache.predict;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import dev.infercache.ApiClient;
import dev.infercache.MutableClock;
import dev.infercache.ScriptedBeans;
import dev.infercache.job.JobRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays docs/API.md's curl session of the compatible API end to end against the running
 * application, then the additions of API.md part 2 that need the whole stack.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(ScriptedBeans.Clock.class)
class PredictIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	JobRepository jobs;

	ApiClient api;

	@BeforeEach
	void clearCache() {
		this.api = new ApiClient(this.port);
		assertThat(this.api.delete("/cache").statusCode()).isEqualTo(200);
	}

	@Test
	void originalCurlSessionBehavesAsDocumented() {
		// 1. a miss starts a job
		HttpResponse<String> miss = this.api.predict("This is a great product!");
		assertThat(miss.statusCode()).isEqualTo(202);
		assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
		assertThat(miss.headers().firstValue("X-Cache-Key")).hasValue("bc63b695adb6f740");
		assertThat(miss.headers().firstValue("Cache-Status")).hasValue("infercache; fwd=uri-miss; stored");
		JsonNode missBody = ApiClient.json(miss);
		UUID jobId = ApiClient.jobId(miss);
		assertThat(missBody.get("status").stringValue()).isEqualTo("processing");
		assertThat(missBody.get("cached").booleanValue()).isFalse();
		assertThat(missBody.has("result")).isFalse();
		assertThat(miss.headers().firstValue("Location")).hasValue("/jobs/" + jobId);
		assertThat(miss.headers().firstValue("Retry-After")).hasValue("1");

		// 2. poll until it completes
		JsonNode job = this.api.awaitJob(jobId);
		assertThat(job.get("job_id").stringValue()).isEqualTo(jobId.toString());
		assertThat(job.get("status").stringValue()).isEqualTo("completed");
		assertThat(job.get("result").get("sentiment").stringValue()).isEqualTo("positive");
		assertThat(job.get("result").get("confidence").doubleValue()).isBetween(0.0, 1.0);

		// 3. the same text, differently spaced and cased, is a hit on the same key
		HttpResponse<String> hit = this.api.predict("  THIS is   a great\tproduct!  ");
		assertThat(hit.statusCode()).isEqualTo(200);
		assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(hit.headers().firstValue("X-Cache-Key")).hasValue("bc63b695adb6f740");
		assertThat(hit.headers().firstValue("Age")).hasValue("0");
		assertThat(hit.headers().firstValue("Cache-Status")).hasValue("infercache; hit; ttl=3600");
		JsonNode hitBody = ApiClient.json(hit);
		assertThat(hitBody.get("job_id").stringValue()).isEqualTo(jobId.toString());
		assertThat(hitBody.get("status").stringValue()).isEqualTo("completed");
		assertThat(hitBody.get("cached").booleanValue()).isTrue();
		assertThat(hitBody.get("result").get("sentiment").stringValue()).isEqualTo("positive");
		assertThat(hitBody.get("result").get("label_scores").get("positive").doubleValue()).isPositive();
		assertThat(hitBody.get("result").get("model").stringValue()).isEqualTo("keyword-rules@1");

		// 4. no-cache skips the lookup and runs a new inference, whose result replaces
		// the cached one
		HttpResponse<String> bypass = this.api.predict("This is a great product!", "Cache-Control", "no-cache");
		assertThat(bypass.statusCode()).isEqualTo(202);
		assertThat(bypass.headers().firstValue("X-Cache")).hasValue("MISS");
		assertThat(bypass.headers().firstValue("Cache-Status")).hasValue("infercache; fwd=request");
		UUID fresh = ApiClient.jobId(bypass);
		assertThat(fresh).isNotEqualTo(jobId);
		this.api.awaitJob(fresh);
		assertThat(ApiClient.jobId(this.api.predict("This is a great product!"))).isEqualTo(fresh);

		// 5. stats: 2 hits, 1 miss (the bypassed lookup counts as neither)
		JsonNode stats = this.api.stats();
		assertThat(stats.get("size").longValue()).isEqualTo(1);
		assertThat(stats.get("max_size").longValue()).isEqualTo(10000);
		assertThat(stats.get("ttl_seconds").longValue()).isEqualTo(3600);
		assertThat(stats.get("hits").longValue()).isEqualTo(2);
		assertThat(stats.get("misses").longValue()).isEqualTo(1);
		assertThat(stats.get("hit_ratio").doubleValue()).isEqualTo(0.667);
		assertThat(stats.get("memory_mb").doubleValue()).isPositive();
		// the exact bytes are the memory gauge's, not the wire's
		assertThat(stats.has("memory_bytes")).isFalse();

		// 6. clear
		HttpResponse<String> cleared = this.api.delete("/cache");
		assertThat(cleared.statusCode()).isEqualTo(200);
		JsonNode clearedBody = ApiClient.json(cleared);
		assertThat(clearedBody.get("message").stringValue()).isEqualTo("Cache cleared");
		assertThat(clearedBody.get("stats").get("size").longValue()).isZero();
		assertThat(clearedBody.get("stats").get("hits").longValue()).isZero();
		assertThat(this.api.predict("This is a great product!").headers().firstValue("X-Cache")).hasValue("MISS");
	}

	@Test
	void healthAndRootAnswer() {
		assertThat(ApiClient.json(this.api.get("/health")).get("status").stringValue()).isEqualTo("healthy");
		JsonNode root = ApiClient.json(this.api.get("/"));
		assertThat(root.get("message").stringValue()).contains("running");
		assertThat(root.get("model").stringValue()).isEqualTo("keyword-rules@1");
		assertThat(this.api.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(this.api.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	@Test
	void aCompletedJobIsAlwaysAHitOnTheNextRequest() {
		for (int i = 0; i < 25; i++) {
			String text = "completed means cached, round " + i;
			UUID jobId = ApiClient.jobId(this.api.predict(text));
			assertThat(this.api.awaitJob(jobId).get("status").stringValue()).isEqualTo("completed");
			HttpResponse<String> next = this.api.predict(text);
			assertThat(next.headers().firstValue("X-Cache")).as("round %d", i).hasValue("HIT");
			assertThat(ApiClient.jobId(next)).isEqualTo(jobId);
		}
	}

	@Test
	void answersCarryTheirLengthInsteadOfBeingChunked() {
		// A ResponseEntity is flushed before its length is known, which made every answer
		// chunked.
		String text = "sent in one piece, with its length";
		HttpResponse<String> miss = this.api.predict(text);
		assertThat(miss.statusCode()).isEqualTo(202);
		this.api.awaitJob(ApiClient.jobId(miss));
		HttpResponse<String> hit = this.api.predict(text);
		assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
		HttpResponse<String> waited = this.api.predict("another text, waited for", "Prefer", "wait=10");
		assertThat(waited.statusCode()).isEqualTo(200);
		for (HttpResponse<String> response : java.util.List.of(miss, hit, waited)) {
			assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
			assertThat(response.headers().firstValueAsLong("Content-Length"))
				.hasValue(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
		}
	}

	@Test
	void preferWaitAnswersTheCompletedJobWhenItFinishesInTime() {
		HttpResponse<String> waited = this.api.predict("waiting is a great idea", "Prefer", "wait=10");
		assertThat(waited.statusCode()).isEqualTo(200);
		assertThat(waited.headers().firstValue("X-Cache")).hasValue("MISS");
		assertThat(waited.headers().firstValue("Preference-Applied")).hasValue("wait=10");
		JsonNode body = ApiClient.json(waited);
		assertThat(body.get("status").stringValue()).isEqualTo("completed");
		assertThat(body.get("cached").booleanValue()).isFalse();
		assertThat(body.get("result").get("sentiment").stringValue()).isEqualTo("positive");
	}

	@Test
	void preferWaitIsCappedByConfiguration() {
		HttpResponse<String> waited = this.api.predict("a very patient client", "Prefer", "wait=3600");
		assertThat(waited.headers().firstValue("Preference-Applied")).hasValue("wait=10");
	}

	@Test
	void onlyIfCachedAnswersFromTheCacheOrWith504AndNoJob() {
		long jobsBefore = this.jobs.count();
		HttpResponse<String> refused = this.api.predict("never seen before", "Cache-Control", "only-if-cached");
		assertThat(refused.statusCode()).isEqualTo(504);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refused.headers().firstValue("X-Cache")).hasValue("MISS");
		assertThat(refused.headers().firstValue("X-Cache-Key")).isPresent();
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);

		this.api.awaitJob(ApiClient.jobId(this.api.predict("seen once")));
		HttpResponse<String> cached = this.api.predict("seen once", "Cache-Control", "only-if-cached");
		assertThat(cached.statusCode()).isEqualTo(200);
		assertThat(cached.headers().firstValue("X-Cache")).hasValue("HIT");
	}

	@Test
	void noStoreRunsTheModelButKeepsTheResultOutOfTheCache() {
		HttpResponse<String> response = this.api.predict("do not keep this", "Cache-Control", "no-store");
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(response.headers().firstValue("Cache-Status")).hasValue("infercache; fwd=request");
		assertThat(this.api.awaitJob(ApiClient.jobId(response)).get("status").stringValue()).isEqualTo("completed");
		assertThat(this.api.stats().get("size").longValue()).isZero();
		assertThat(this.api.predict("do not keep this").headers().firstValue("X-Cache")).hasValue("MISS");
	}

	@Test
	void maxAgeAndMaxStaleFollowTheEntrysAge() {
		UUID jobId = ApiClient.jobId(this.api.predict("aging gracefully"));
		this.api.awaitJob(jobId);
		this.clock.advance(Duration.ofSeconds(100));

		HttpResponse<String> young = this.api.predict("aging gracefully", "Cache-Control", "max-age=200");
		assertThat(young.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(young.headers().firstValue("Age")).hasValue("100");
		assertThat(young.headers().firstValue("Cache-Status")).hasValue("infercache; hit; ttl=3500");

		this.clock.advance(Duration.ofSeconds(3600));
		HttpResponse<String> stale = this.api.predict("aging gracefully", "Cache-Control", "max-stale=600");
		assertThat(stale.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(stale.headers().firstValue("Age")).hasValue("3700");
		assertThat(stale.headers().firstValue("Cache-Status")).hasValue("infercache; hit; ttl=-100");

		HttpResponse<String> expired = this.api.predict("aging gracefully");
		assertThat(expired.statusCode()).isEqualTo(202);
		assertThat(expired.headers().firstValue("X-Cache")).hasValue("MISS");

		this.api.awaitJob(ApiClient.jobId(expired));
		HttpResponse<String> tooOld = this.api.predict("aging gracefully", "Cache-Control", "max-age=0");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(tooOld.headers().firstValue("X-Cache")).hasValue("HIT");
		HttpResponse<String> nowTooOld = this.api.predict("aging gracefully", "Cache-Control", "max-age=0");
		assertThat(nowTooOld.headers().firstValue("X-Cache")).hasValue("MISS");
	}

}
