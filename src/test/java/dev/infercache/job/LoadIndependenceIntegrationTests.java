package dev.infercache.job;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.infercache.ApiClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The real bge model, with several inferences side by side
 * ({@code infercache.model.concurrency}): a text gets the same label and the same scores
 * (within 1e-4) whether it was computed alone or among 16 concurrent clients. The cache
 * is bypassed ({@code no-store}) so that every answer is a fresh inference.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.model.type=bge", "infercache.model.concurrency=4", "infercache.jobs.threads=8" })
class LoadIndependenceIntegrationTests {

	private static final List<String> TEXTS = List.of(
			"The film takes a while to get going, but the last hour is great.",
			"A dull, plodding mess with nothing to say.", "It is neither good nor bad, just there.",
			"An astonishing performance from the whole cast.", "I wanted to like it, but I was bored.",
			"The soundtrack alone is worth the ticket.", "Clumsy dialogue sinks an otherwise decent premise.",
			"Funny, warm and surprisingly moving.", "This is the worst sequel in years.",
			"A quiet film that rewards patience.", "Too long by half, and too pleased with itself.",
			"The kids in the audience loved every minute.", "Beautifully shot, thinly written.",
			"It made me laugh and it made me think.", "A lazy cash grab.", "Not bad at all, honestly.",
			"The ending is a letdown after such a strong start.", "Sharp, angry and very entertaining.",
			"I have seen better student films.", "An instant classic.");

	@LocalServerPort
	int port;

	@Test
	void aTextGetsTheSameScoresAloneAndUnderLoad() throws Exception {
		ApiClient api = new ApiClient(this.port);
		Map<String, JsonNode> alone = new HashMap<>();
		for (String text : TEXTS) {
			alone.put(text, result(api, text));
		}

		ExecutorService clients = Executors.newFixedThreadPool(16);
		try {
			List<Future<Map.Entry<String, JsonNode>>> underLoad = new ArrayList<>();
			for (int round = 0; round < 8; round++) {
				for (String text : TEXTS) {
					underLoad.add(clients.submit(() -> Map.entry(text, result(api, text))));
				}
			}
			for (Future<Map.Entry<String, JsonNode>> answer : underLoad) {
				Map.Entry<String, JsonNode> entry = answer.get(120, TimeUnit.SECONDS);
				JsonNode expected = alone.get(entry.getKey());
				JsonNode actual = entry.getValue();
				assertThat(actual.get("sentiment").stringValue()).isEqualTo(expected.get("sentiment").stringValue());
				assertThat(actual.get("confidence").doubleValue()).isCloseTo(expected.get("confidence").doubleValue(),
						within(1e-4));
				for (String label : List.of("positive", "negative")) {
					assertThat(actual.get("label_scores").get(label).doubleValue())
						.isCloseTo(expected.get("label_scores").get(label).doubleValue(), within(1e-4));
				}
			}
		}
		finally {
			clients.shutdownNow();
		}
	}

	private static JsonNode result(ApiClient api, String text) {
		HttpResponse<String> response = api.predict(text, "Cache-Control", "no-store", "Prefer", "wait=10");
		assertThat(response.statusCode()).isEqualTo(200);
		return ApiClient.json(response).get("result");
	}

}
