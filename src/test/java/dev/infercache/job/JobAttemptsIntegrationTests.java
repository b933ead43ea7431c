package dev.infercache.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.infercache.ApiClient;
import dev.infercache.ScriptedBeans;
import dev.infercache.ScriptedModel;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import dev.infercache.model.SentimentModel;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@code infercache.jobs.max-attempts}: a job whose end can never be recorded (here, a
 * label too long for its column) runs once per start and recovery pass, then is failed
 * for good with "gave up after N attempts", instead of running for ever, and its result
 * is not served from the cache under the failed job's id. And a model whose labels could
 * not be stored is refused when the application starts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.jobs.recovery-interval=200ms", "infercache.jobs.max-attempts=3" })
@Import(ScriptedBeans.Model.class)
class JobAttemptsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

	@Autowired
	JobRepository jobs;

	@Test
	void aJobThatCanNeverBeRecordedIsFailedAfterMaxAttempts() {
		ApiClient api = new ApiClient(this.port);
		// the scripted model answers a text with "poison" with a label longer than its
		// column
		UUID jobId = ApiClient.jobId(api.predict("a poison pill of a text"));

		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jobs.findById(jobId).orElseThrow().getStatus() == JobStatus.FAILED);
		Job failed = this.jobs.findById(jobId).orElseThrow();
		assertThat(failed.getError()).isEqualTo("gave up after 3 attempts");
		assertThat(failed.getAttempts()).isEqualTo(3);
		assertThat(this.model.calls()).as("one inference per attempt").isEqualTo(3);
		JsonNode job = ApiClient.json(api.get("/jobs/" + jobId));
		assertThat(job.get("status").stringValue()).isEqualTo("failed");
		assertThat(job.get("error").stringValue()).isEqualTo("gave up after 3 attempts");
		assertThat(api.predict("a poison pill of a text", "Cache-Control", "only-if-cached").statusCode())
			.as("no hit names a job that failed")
			.isEqualTo(504);

		// the service goes on: a text whose result can be stored completes on its first
		// attempt
		UUID fine = ApiClient.jobId(api.predict("a perfectly storable text"));
		assertThat(api.awaitJob(fine).get("status").stringValue()).isEqualTo("completed");
		assertThat(this.jobs.findById(fine).orElseThrow().getAttempts()).isEqualTo(1);
	}

	@Test
	void aModelWhoseLabelsCannotBeStoredIsRefusedAtStart() {
		SentimentModel longLabel = new FixedLabels(List.of("positive", "x".repeat(JobStore.MAX_LABEL_LENGTH + 1)));
		assertThatIllegalStateException().isThrownBy(() -> JobStore.requireStorableLabels(longLabel))
			.withMessageContaining("a job stores at most 100");
		SentimentModel manyLabels = new FixedLabels(
				java.util.stream.IntStream.range(0, 200).mapToObj((i) -> "label-" + i).toList());
		assertThatIllegalStateException().isThrownBy(() -> JobStore.requireStorableLabels(manyLabels))
			.withMessageContaining("200 labels");
		JobStore.requireStorableLabels(new FixedLabels(List.of("positive", "negative", "neutral")));
	}

	static class FixedLabels implements SentimentModel {

		private final List<String> labels;

		FixedLabels(List<String> labels) {
			this.labels = labels;
		}

		@Override
		public ModelId id() {
			return new ModelId("fixed-labels", "1");
		}

		@Override
		public List<String> labels() {
			return this.labels;
		}

		@Override
		public Prediction predict(String text) {
			return new Prediction("positive", 0.9, Map.of("positive", 0.9, "negative", 0.1), id());
		}

	}

}
