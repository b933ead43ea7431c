package dev.infercache.predict;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import dev.infercache.ApiClient;
import dev.infercache.Scrape;
import dev.infercache.ScriptedBeans;
import dev.infercache.ScriptedModel;
import dev.infercache.cache.CacheKey;
import dev.infercache.job.JobRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /predict/batch} against the whole application (API.md part 3): answers in
 * request order, hits inline, misses de-duplicated within the batch and against running
 * flights, queued all or none, one invalid text rejecting the batch with nothing created,
 * the limits, and the request headers applied to every text. One worker and room for five
 * jobs, so that a held model fills the queue with a handful of texts; a 64 KB body limit,
 * so that the batch limit (256 KB) is tested with small bodies.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.jobs.threads=1", "infercache.jobs.queue-capacity=4",
				"infercache.predict.max-wait=2s", "infercache.predict.max-body-size=64KB" })
@Import(ScriptedBeans.Model.class)
class BatchPredictIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

	@Autowired
	JobRepository jobs;

	@Autowired
	MeterRegistry meters;

	ApiClient api;

	@BeforeEach
	void idleAndEmpty() {
		this.api = new ApiClient(this.port);
		this.model.reset();
		awaitIdle();
		assertThat(this.api.delete("/cache").statusCode()).isEqualTo(200);
	}

	@AfterEach
	void releaseModel() {
		this.model.release();
	}

	@Test
	void answersEveryTextInRequestOrderAndARepeatIsAllHits() {
		List<String> texts = List.of("the first of three", "the second of three", "the third of three");
		HttpResponse<String> first = this.api.predictBatch(texts, "Prefer", "wait=10");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("X-Cache-Hits")).hasValue("0");
		assertThat(first.headers().firstValue("X-Cache-Misses")).hasValue("3");
		assertThat(first.headers().firstValue("Preference-Applied")).hasValue("wait=2");
		assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
		JsonNode results = ApiClient.json(first).get("results");
		assertThat(results).hasSize(3);
		List<String> jobIds = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			JsonNode item = results.get(i);
			assertThat(item.get("cache_key").stringValue()).isEqualTo(key(texts.get(i)));
			assertThat(item.get("status").stringValue()).isEqualTo("completed");
			assertThat(item.get("cached").booleanValue()).isFalse();
			assertThat(item.get("result").get("sentiment").stringValue()).isEqualTo("positive");
			assertThat(item.has("error")).isFalse();
			jobIds.add(item.get("job_id").stringValue());
		}
		assertThat(jobIds).doesNotHaveDuplicates();

		HttpResponse<String> again = this.api.predictBatch(texts);
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.headers().firstValue("X-Cache-Hits")).hasValue("3");
		assertThat(again.headers().firstValue("X-Cache-Misses")).hasValue("0");
		assertThat(again.headers().firstValue("Preference-Applied")).isEmpty();
		JsonNode hits = ApiClient.json(again).get("results");
		for (int i = 0; i < 3; i++) {
			assertThat(hits.get(i).get("cached").booleanValue()).isTrue();
			assertThat(hits.get(i).get("status").stringValue()).isEqualTo("completed");
			assertThat(hits.get(i).get("job_id").stringValue()).isEqualTo(jobIds.get(i));
			assertThat(hits.get(i).get("cache_key").stringValue()).isEqualTo(key(texts.get(i)));
		}
		assertThat(this.model.calls()).isEqualTo(3);
		// a text of the batch is a hit on /predict too: one cache, one key
		HttpResponse<String> single = this.api.predict("  THE SECOND of three ");
		assertThat(single.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(single.headers().firstValue("X-Cache-Key")).hasValue(key(texts.get(1)));
		assertThat(ApiClient.jobId(single)).hasToString(jobIds.get(1));
	}

	@Test
	void theSameKeyTwiceInABatchRunsOneJob() {
		double started = items("miss");
		double joined = items("joined");
		this.model.hold();
		List<String> texts = List.of("said twice", "  SAID   twice ", "said once", "said twice");
		HttpResponse<String> response = this.api.predictBatch(texts);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Cache-Misses")).hasValue("4");
		JsonNode results = ApiClient.json(response).get("results");
		assertThat(results.valueStream().map((item) -> item.get("status").stringValue())).containsOnly("processing");
		assertThat(results.valueStream().map((item) -> item.has("result"))).containsOnly(false);
		String twice = results.get(0).get("job_id").stringValue();
		assertThat(results.get(1).get("job_id").stringValue()).isEqualTo(twice);
		assertThat(results.get(3).get("job_id").stringValue()).isEqualTo(twice);
		assertThat(results.get(2).get("job_id").stringValue()).isNotEqualTo(twice);
		assertThat(results.get(1).get("cache_key").stringValue())
			.isEqualTo(results.get(0).get("cache_key").stringValue());
		assertThat(items("miss") - started).isEqualTo(2);
		assertThat(items("joined") - joined).isEqualTo(2);

		this.model.release();
		assertThat(this.api.awaitJob(UUID.fromString(twice)).get("status").stringValue()).isEqualTo("completed");
		this.api.awaitJob(UUID.fromString(results.get(2).get("job_id").stringValue()));
		assertThat(this.model.calls()).isEqualTo(2);
	}

	@Test
	void aTextAlreadyInFlightJoinsItsJob() {
		this.model.hold();
		HttpResponse<String> alone = this.api.predict("already running");
		assertThat(alone.statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.model.waiting() == 1);

		HttpResponse<String> batch = this.api.predictBatch(List.of("Already  running", "running beside it"));
		assertThat(batch.statusCode()).isEqualTo(200);
		JsonNode results = ApiClient.json(batch).get("results");
		assertThat(results.get(0).get("job_id").stringValue()).isEqualTo(ApiClient.jobId(alone).toString());
		assertThat(results.get(0).get("status").stringValue()).isEqualTo("processing");
		assertThat(results.get(1).get("job_id").stringValue()).isNotEqualTo(ApiClient.jobId(alone).toString());

		this.model.release();
		this.api.awaitJob(ApiClient.jobId(alone));
		this.api.awaitJob(UUID.fromString(results.get(1).get("job_id").stringValue()));
		assertThat(this.model.calls()).isEqualTo(2);
	}

	@Test
	void preferWaitCoversTheWholeBatchAndEndsWithWhatIsDone() {
		this.model.hold();
		HttpResponse<String> waited = this.api.predictBatch(List.of("slow one", "slow two"), "Prefer", "wait=1");
		assertThat(waited.statusCode()).isEqualTo(200);
		assertThat(waited.headers().firstValue("Preference-Applied")).hasValue("wait=1");
		JsonNode results = ApiClient.json(waited).get("results");
		assertThat(results.valueStream().map((item) -> item.get("status").stringValue())).containsOnly("processing");
	}

	@Test
	void aTextTheModelFailsOnIsAFailedItemBesideTheOthers() {
		HttpResponse<String> response = this.api.predictBatch(List.of("this will explode", "this will not"), "Prefer",
				"wait=10");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode results = ApiClient.json(response).get("results");
		assertThat(results.get(0).get("status").stringValue()).isEqualTo("failed");
		assertThat(results.get(0).get("error").stringValue()).isEqualTo("the model exploded on purpose");
		assertThat(results.get(0).has("result")).isFalse();
		assertThat(results.get(1).get("status").stringValue()).isEqualTo("completed");
	}

	@Test
	void oneInvalidTextRejectsTheBatchNamingItsIndexAndCreatesNothing() {
		long jobsBefore = this.jobs.count();
		JsonNode statsBefore = this.api.stats();
		long batchesBefore = this.meters.get("infercache.batch.texts").summary().count();

		assertRejected(body("\"fine\", \"\", \"fine too\""), 1, "texts[1]: text must not be empty or white space only");
		assertRejected(body("\"fine\", \"fine\", \" \\t \""), 2,
				"texts[2]: text must not be empty or white space only");
		assertRejected(body("\"fine\", 5"), 1, "texts[1]: must be a string, not a number");
		assertRejected(body("\"fine\", null"), 1, "texts[1]: must be a string, not null");
		assertRejected(body("\"fine\", [\"nested\"]"), 1, "texts[1]: must be a string, not an array");
		// the first invalid text is named, whatever is wrong with those after it
		assertRejected(body("\"fine\", \"\", 5"), 1, "texts[1]: text must not be empty or white space only");
		assertRejected(body("\"fine\", 5, \"\""), 1, "texts[1]: must be a string, not a number");
		assertRejected(body("\"fine\", \"a\\u0000b\""), 1, "texts[1]: text must not contain NUL (U+0000) characters");
		assertRejected(body("\"\\ud800\""), 0, "texts[0]: text contains an unpaired UTF-16 surrogate (U+D800)");
		String tooLong = "x".repeat(10_001);
		assertRejected(body("\"fine\", \"" + tooLong + "\""), 1,
				"texts[1]: text is 10001 characters long; the limit is 10000 characters");

		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
		assertThat(this.model.calls()).isZero();
		JsonNode statsAfter = this.api.stats();
		assertThat(statsAfter.get("hits")).isEqualTo(statsBefore.get("hits"));
		assertThat(statsAfter.get("misses")).isEqualTo(statsBefore.get("misses"));
		assertThat(this.meters.get("infercache.batch.texts").summary().count()).isEqualTo(batchesBefore);
	}

	@Test
	void aBatchHoldsOneTo256TextsInAList() {
		long jobsBefore = this.jobs.count();
		assertProblem(this.api.post("/predict/batch", "application/json", "{\"texts\": []}"), 400,
				"texts must hold at least one text");
		assertProblem(this.api.post("/predict/batch", "application/json", "{\"texts\": \"one text\"}"), 400,
				"Field 'texts' must be a list of strings, not a string");
		assertProblem(this.api.post("/predict/batch", "application/json", "{\"texts\": {\"a\": \"b\"}}"), 400,
				"Field 'texts' must be a list of strings, not an object");
		assertProblem(this.api.post("/predict/batch", "application/json", "{\"text\": \"one text\"}"), 400,
				"Field 'texts' is required: a list of 1 or more strings");
		assertProblem(this.api.post("/predict/batch", "application/json", "{\"texts\": null}"), 400,
				"Field 'texts' is required: a list of 1 or more strings");
		assertProblem(this.api.post("/predict/batch", "application/json", "[\"a\"]"), 400,
				"Request body must be a JSON object: {\"texts\": [\"...\", ...]}");
		assertProblem(this.api.post("/predict/batch", "application/json", "{\"texts\": [\"a\""), 400,
				"Request body is not valid JSON (UTF-8)");
		assertThat(this.api.post("/predict/batch", "text/plain", "{\"texts\": [\"a\"]}").statusCode()).isEqualTo(415);

		List<String> tooMany = new ArrayList<>();
		for (int i = 0; i < 257; i++) {
			tooMany.add("text number " + i);
		}
		HttpResponse<String> refused = this.api.predictBatch(tooMany);
		assertProblem(refused, 413, "texts has 257 items; the limit is 256 (infercache.predict.max-batch-texts)");
		assertThat(ApiClient.json(refused).get("max_batch_texts").intValue()).isEqualTo(256);
		// 256 is allowed: answered (all not cached, and only-if-cached starts nothing)
		HttpResponse<String> full = this.api.predictBatch(tooMany.subList(0, 256), "Cache-Control", "only-if-cached");
		assertProblem(full, 504,
				"texts[0]: no cached prediction (nor for 255 more distinct texts), and Cache-Control: only-if-cached "
						+ "forbids computing one; nothing was started");
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
		assertThat(this.model.calls()).isZero();
	}

	@Test
	void theBodyLimitOfABatchGrowsWithMaxBatchTexts() {
		// max-body-size is 64 KB here, so a batch may have 64 KB x 256 / 64 = 256 KB.
		// 256 texts of 600 characters: more than twice /predict's limit, within the
		// batch's
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < 256; i++) {
			texts.add(i + " " + "a long review ".repeat(42));
		}
		HttpResponse<String> accepted = this.api.predictBatch(texts, "Cache-Control", "only-if-cached");
		assertThat(accepted.statusCode()).isEqualTo(504);

		HttpResponse<String> tooLarge = this.api.predictBatch(Collections.nCopies(30, "x".repeat(9_000)));
		assertProblem(tooLarge, 413, "Request body is larger than the limit of 262144 bytes "
				+ "(infercache.predict.max-body-size x max-batch-texts / 64)");
		HttpResponse<String> chunked = this.api.postChunked("/predict/batch", "application/json",
				("{\"texts\": [\"" + "y".repeat(300_000) + "\"]}").getBytes(StandardCharsets.UTF_8));
		assertProblem(chunked, 413, "Request body is larger than the limit of 262144 bytes");
		// /predict keeps its own limit
		HttpResponse<String> single = this.api.predict("z".repeat(70_000));
		assertProblem(single, 413,
				"Request body is larger than the limit of 65536 bytes " + "(infercache.predict.max-body-size)");
	}

	@Test
	void cacheControlAppliesToEveryText() {
		List<String> texts = List.of("controlled one", "controlled two");
		JsonNode first = ApiClient.json(this.api.predictBatch(texts, "Prefer", "wait=10")).get("results");

		HttpResponse<String> refreshed = this.api.predictBatch(texts, "Cache-Control", "no-cache", "Prefer", "wait=10");
		assertThat(refreshed.headers().firstValue("X-Cache-Misses")).hasValue("2");
		JsonNode fresh = ApiClient.json(refreshed).get("results");
		for (int i = 0; i < 2; i++) {
			assertThat(fresh.get(i).get("job_id")).isNotEqualTo(first.get(i).get("job_id"));
			assertThat(fresh.get(i).get("status").stringValue()).isEqualTo("completed");
		}
		// the refreshed results replaced the cached ones
		JsonNode hits = ApiClient.json(this.api.predictBatch(texts)).get("results");
		assertThat(hits.get(0).get("job_id")).isEqualTo(fresh.get(0).get("job_id"));

		HttpResponse<String> unstored = this.api.predictBatch(List.of("kept nowhere"), "Cache-Control", "no-store",
				"Prefer", "wait=10");
		assertThat(ApiClient.json(unstored).get("results").get(0).get("status").stringValue()).isEqualTo("completed");
		assertThat(this.api.predict("kept nowhere", "Cache-Control", "only-if-cached").statusCode()).isEqualTo(504);

		long jobsBefore = this.jobs.count();
		HttpResponse<String> partly = this.api.predictBatch(List.of("controlled one", "never asked before"),
				"Cache-Control", "only-if-cached");
		assertProblem(partly, 504, "texts[1]: no cached prediction, and Cache-Control: only-if-cached forbids "
				+ "computing one; nothing was started");
		assertThat(ApiClient.json(partly).get("index").intValue()).isEqualTo(1);
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
		HttpResponse<String> cachedOnly = this.api.predictBatch(texts, "Cache-Control", "only-if-cached");
		assertThat(cachedOnly.statusCode()).isEqualTo(200);
		assertThat(cachedOnly.headers().firstValue("X-Cache-Hits")).hasValue("2");
	}

	@Test
	void missesAreQueuedAllOrNone() {
		this.model.hold();
		List<UUID> queued = this.api.acceptAll("filling the queue ", 4);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.model.waiting() == 1);
		long jobsBefore = this.jobs.count();

		// room for one more job, and the batch needs two: neither is created
		HttpResponse<String> refused = this.api.predictBatch(List.of("does not fit a", "does not fit b"));
		assertProblem(refused, 503, "The work queue is full; no job was created. Retry later.");
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);

		// one text in flight already and one new: fits
		HttpResponse<String> fits = this.api.predictBatch(List.of("filling the queue 0", "does not fit a"));
		assertThat(fits.statusCode()).isEqualTo(200);
		JsonNode results = ApiClient.json(fits).get("results");
		assertThat(results.get(0).get("job_id").stringValue()).isEqualTo(queued.get(0).toString());
		assertThat(this.jobs.count()).isEqualTo(jobsBefore + 1);
		// the refused batch left no flight behind: its other text is refused too, not
		// joined
		assertThat(this.api.predict("does not fit b").statusCode()).isEqualTo(503);

		this.model.release();
		awaitIdle();
		HttpResponse<String> after = this.api.predict("does not fit b");
		assertThat(after.statusCode()).isEqualTo(202);
		assertThat(after.headers().firstValue("Cache-Status")).hasValue("infercache; fwd=uri-miss; stored");
	}

	@Test
	void prometheusHasBatchSizesAndItemsPerResult() {
		this.api.predictBatch(List.of("metered one", "metered two", "metered one"), "Prefer", "wait=10");
		this.api.predictBatch(List.of("metered one"));
		Scrape scrape = Scrape.of(this.api);
		assertThat(scrape.value("infercache_batch_texts_count")).isGreaterThanOrEqualTo(2);
		assertThat(scrape.value("infercache_batch_texts_max")).isGreaterThanOrEqualTo(3);
		assertThat(scrape.has("infercache_batch_texts{quantile=\"0.5\"}")).isTrue();
		for (String result : List.of("hit", "miss", "joined")) {
			assertThat(scrape.value("infercache_batch_items_total", "result=\"" + result + "\"")).as(result)
				.isGreaterThanOrEqualTo(1);
		}
	}

	private void assertRejected(String body, int index, String detail) {
		HttpResponse<String> response = this.api.post("/predict/batch", "application/json", body);
		assertProblem(response, 400, detail);
		assertThat(ApiClient.json(response).get("index").intValue()).isEqualTo(index);
	}

	private static void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(ApiClient.json(response).get("detail").stringValue()).startsWith(detail);
	}

	private static String body(String items) {
		return "{\"texts\": [" + items + "]}";
	}

	private static String key(String text) {
		return CacheKey.of(text, ScriptedModel.ID).headerValue();
	}

	private double items(String result) {
		return this.meters.get("infercache.batch.items").tag("result", result).counter().count();
	}

	private void awaitIdle() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.meters.get("infercache.jobs.queue.depth").gauge().value() == 0
					&& this.meters.get("infercache.jobs.running").gauge().value() == 0);
	}

}
