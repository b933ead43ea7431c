package dev.infercache;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} publishes the cache, job, queue and model meters, and each
 * series moves when the thing it counts happens.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.jobs.threads=1", "infercache.jobs.queue-capacity=1", "infercache.cache.max-size=2",
				"infercache.cache.stale-retention=0s" })
@Import({ ScriptedBeans.Model.class, ScriptedBeans.Clock.class })
class MetricsIntegrationTests {

	private static final String GETS = "infercache_cache_gets_total";

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

	@Autowired
	MutableClock clock;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		this.model.reset();
	}

	@AfterEach
	void releaseModel() {
		this.model.release();
	}

	@Test
	void everySeriesIsPublished() {
		Scrape scrape = Scrape.of(this.api);
		for (String series : new String[] { GETS + "{result=\"hit\"}", GETS + "{result=\"miss\"}",
				GETS + "{result=\"bypass\"}", "infercache_cache_puts_total", "infercache_cache_evictions_total",
				"infercache_cache_expirations_total", "infercache_cache_size", "infercache_cache_max_size",
				"infercache_cache_memory_bytes", "infercache_predict_coalesced_total",
				"infercache_jobs_submitted_total", "infercache_jobs_completed_total", "infercache_jobs_failed_total",
				"infercache_jobs_rejected_total{reason=\"queue_full\"}",
				"infercache_jobs_rejected_total{reason=\"shutting_down\"}", "infercache_jobs_resumed_total",
				"infercache_jobs_queue_depth", "infercache_jobs_queue_capacity", "infercache_jobs_running" }) {
			assertThat(scrape.has(series)).as(series).isTrue();
		}
		assertThat(scrape.value("infercache_model_inference_seconds_count", "model=\"scripted\"")).isNotNegative();
		assertThat(scrape.value("infercache_model_truncated_total", "model=\"scripted\"")).isZero();
		assertThat(scrape.value("infercache_model_inference_seconds", "quantile=\"0.99\"")).isNotNegative();
		assertThat(scrape.value("infercache_jobs_queue_capacity")).isEqualTo(1);
	}

	@Test
	void theSeriesMoveWithTheTraffic() {
		Scrape before = Scrape.of(this.api);

		// a miss creates a job that completes and stores its result; the same text again
		// is a hit
		UUID first = ApiClient.jobId(this.api.predict("metrics: the first text"));
		this.api.awaitJob(first);
		assertThat(this.api.predict("metrics: the first text").headers().firstValue("X-Cache")).hasValue("HIT");
		// a bypass is neither hit nor miss, and runs a fresh job
		this.api.awaitJob(ApiClient.jobId(this.api.predict("metrics: the first text", "Cache-Control", "no-cache")));
		// a model failure
		this.api.awaitJob(ApiClient.jobId(this.api.predict("metrics: explode")));

		// one job running, a second request joins it, one queued, one rejected
		this.model.hold();
		UUID held = ApiClient.jobId(this.api.predict("metrics: held"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.model.waiting() == 1);
		assertThat(ApiClient.jobId(this.api.predict("  METRICS: held "))).isEqualTo(held);
		UUID queued = ApiClient.jobId(this.api.predict("metrics: queued"));
		HttpResponse<String> rejected = this.api.predict("metrics: rejected");
		assertThat(rejected.statusCode()).isEqualTo(503);
		Scrape busy = Scrape.of(this.api);
		assertThat(busy.value("infercache_jobs_queue_depth")).isEqualTo(1);
		assertThat(busy.value("infercache_jobs_running")).isEqualTo(1);

		this.model.release();
		this.api.awaitJob(held);
		this.api.awaitJob(queued);
		// three keys stored in a cache of two: one eviction
		Scrape after = Scrape.of(this.api);

		assertThat(delta(before, after, GETS, "result=\"hit\"")).isEqualTo(1);
		assertThat(delta(before, after, GETS, "result=\"miss\"")).isEqualTo(6);
		assertThat(delta(before, after, GETS, "result=\"bypass\"")).isEqualTo(1);
		assertThat(delta(before, after, "infercache_jobs_submitted_total")).isEqualTo(5);
		assertThat(delta(before, after, "infercache_jobs_completed_total")).isEqualTo(4);
		assertThat(delta(before, after, "infercache_jobs_failed_total")).isEqualTo(1);
		assertThat(delta(before, after, "infercache_jobs_rejected_total", "reason=\"queue_full\"")).isEqualTo(1);
		assertThat(delta(before, after, "infercache_jobs_rejected_total", "reason=\"shutting_down\"")).isZero();
		assertThat(delta(before, after, "infercache_predict_coalesced_total")).isEqualTo(1);
		assertThat(delta(before, after, "infercache_cache_puts_total")).isEqualTo(4);
		assertThat(delta(before, after, "infercache_cache_evictions_total")).isGreaterThanOrEqualTo(1);
		assertThat(delta(before, after, "infercache_model_inference_seconds_count", "model=\"scripted\"")).isEqualTo(5);
		assertThat(after.value("infercache_cache_size")).isEqualTo(2);
		assertThat(after.value("infercache_cache_memory_bytes")).isPositive();
		assertThat(after.value("infercache_jobs_queue_depth")).isZero();

		// time passes beyond the TTL: the next lookup of a stored key finds it expired
		this.clock.advance(Duration.ofHours(2));
		assertThat(this.api.predict("metrics: queued", "Cache-Control", "only-if-cached").statusCode()).isEqualTo(504);
		Scrape expired = Scrape.of(this.api);
		assertThat(delta(after, expired, "infercache_cache_expirations_total")).isEqualTo(1);
		assertThat(expired.value("infercache_cache_size")).isLessThan(2);
	}

	private static double delta(Scrape before, Scrape after, String name, String... labels) {
		return after.value(name, labels) - before.value(name, labels);
	}

}
