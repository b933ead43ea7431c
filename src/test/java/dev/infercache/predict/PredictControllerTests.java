package dev.infercache.predict;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.infercache.cache.CacheHit;
import dev.infercache.cache.CacheKey;
import dev.infercache.cache.CachedPrediction;
import dev.infercache.job.WorkQueueFullException;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import dev.infercache.predict.PredictionService.Hit;
import dev.infercache.predict.PredictionService.Miss;
import dev.infercache.predict.PredictionService.Pending;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The HTTP side of {@code POST /predict}: status codes, headers and problem bodies, with
 * the service mocked.
 */
@WebMvcTest(PredictController.class)
class PredictControllerTests {

	private static final ModelId MODEL = new ModelId("test-model", "7");

	private static final CacheKey KEY = CacheKey.of("hello world", MODEL);

	private static final UUID JOB = UUID.fromString("6f1c2d3e-4b5a-4c6d-8e7f-101112131415");

	@Autowired
	MockMvc mvc;

	@MockitoBean
	PredictionService predictions;

	@BeforeEach
	void capIsIdentity() {
		given(this.predictions.cap(any())).willAnswer((invocation) -> invocation.getArgument(0));
	}

	@Test
	void hitIs200WithCacheHeadersAndAge() throws Exception {
		Prediction prediction = new Prediction("positive", 0.93, Map.of("positive", 0.93, "negative", 0.07), MODEL);
		CacheHit hit = new CacheHit(new CachedPrediction(JOB, prediction), Duration.ofSeconds(42),
				Duration.ofMillis(3_557_900));
		given(this.predictions.predict(eq("hello world"), any(), any())).willReturn(new Hit(KEY, hit));

		predict("{\"text\": \"hello world\"}").andExpect(status().isOk())
			.andExpect(header().string("X-Cache", "HIT"))
			.andExpect(header().string("X-Cache-Key", "b94d27b9934d3e08"))
			.andExpect(header().string("Age", "42"))
			.andExpect(header().string("Cache-Status", "infercache; hit; ttl=3557"))
			.andExpect(jsonPath("$.job_id").value(JOB.toString()))
			.andExpect(jsonPath("$.status").value("completed"))
			.andExpect(jsonPath("$.cached").value(true))
			.andExpect(jsonPath("$.result.sentiment").value("positive"))
			.andExpect(jsonPath("$.result.confidence").value(0.93))
			.andExpect(jsonPath("$.result.label_scores.positive").value(0.93))
			.andExpect(jsonPath("$.result.model").value("test-model@7"));
	}

	@Test
	void missIs202WithLocationAndRetryAfter() throws Exception {
		given(this.predictions.predict(anyString(), any(), any()))
			.willReturn(pending(new Miss(KEY, JOB, false, false, true, Duration.ZERO, null)));

		predict("{\"text\": \"hello world\"}").andExpect(status().isAccepted())
			.andExpect(header().string("X-Cache", "MISS"))
			.andExpect(header().string("X-Cache-Key", "b94d27b9934d3e08"))
			.andExpect(header().string("Cache-Status", "infercache; fwd=uri-miss; stored"))
			.andExpect(header().string("Location", "/jobs/" + JOB))
			.andExpect(header().string("Retry-After", "1"))
			.andExpect(content().json("{\"job_id\":\"" + JOB + "\",\"status\":\"processing\",\"cached\":false}", true));
	}

	@Test
	void joinedMissIsMarkedCollapsed() throws Exception {
		given(this.predictions.predict(anyString(), any(), any()))
			.willReturn(pending(new Miss(KEY, JOB, true, false, false, Duration.ZERO, null)));
		predict("{\"text\": \"hello world\"}").andExpect(status().isAccepted())
			.andExpect(header().string("Cache-Status", "infercache; fwd=uri-miss; collapsed"));
	}

	@Test
	void bypassedLookupIsForwardedByRequest() throws Exception {
		given(this.predictions.predict(anyString(), eq(CacheDirectives.parse("no-cache")), any()))
			.willReturn(pending(new Miss(KEY, JOB, false, true, true, Duration.ZERO, null)));
		predict("{\"text\": \"hello world\"}", "Cache-Control", "no-cache").andExpect(status().isAccepted())
			.andExpect(header().string("Cache-Status", "infercache; fwd=request"));
	}

	@Test
	void preferWaitIsPassedOnAndReportedAsApplied() throws Exception {
		given(this.predictions.predict(anyString(), any(), eq(Duration.ofSeconds(7))))
			.willReturn(pending(new Miss(KEY, JOB, false, false, true, Duration.ofSeconds(7), null)));
		predict("{\"text\": \"hello world\"}", "Prefer", "respond-async, wait=7").andExpect(status().isAccepted())
			.andExpect(header().string("Preference-Applied", "wait=7"));
	}

	private static Pending pending(Miss miss) {
		return new Pending(KEY, CompletableFuture.completedFuture(miss));
	}

	@Test
	void invalidTextIs400Problem() throws Exception {
		given(this.predictions.predict(anyString(), any(), any()))
			.willThrow(new InvalidPredictRequestException("text must not be empty or white space only"));
		predict("{\"text\": \"   \"}").andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(400))
			.andExpect(jsonPath("$.detail").value("text must not be empty or white space only"));
	}

	@Test
	void tooLongTextIs413ProblemNamingTheLimit() throws Exception {
		given(this.predictions.predict(anyString(), any(), any())).willThrow(new TextTooLongException(10_001, 10_000));
		predict("{\"text\": \"long\"}").andExpect(status().isContentTooLarge())
			.andExpect(jsonPath("$.max_text_length").value(10000))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("10000")));
	}

	@Test
	void onlyIfCachedMissIs504WithCacheHeaders() throws Exception {
		given(this.predictions.predict(anyString(), any(), any())).willThrow(new NotCachedException(KEY));
		predict("{\"text\": \"hello world\"}", "Cache-Control", "only-if-cached").andExpect(status().isGatewayTimeout())
			.andExpect(header().string("X-Cache", "MISS"))
			.andExpect(header().string("X-Cache-Key", "b94d27b9934d3e08"))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void fullQueueIs503WithRetryAfter() throws Exception {
		given(this.predictions.predict(anyString(), any(), any())).willThrow(new WorkQueueFullException());
		predict("{\"text\": \"hello world\"}").andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "5"))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void malformedBodiesNeverReachTheService() throws Exception {
		predict("{\"text\": ").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("Request body is not valid JSON (UTF-8)"));
		predict("{\"text\": 1}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("Field 'text' must be a string, not a number"));
		predict("{}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("Field 'text' is required"));
		predict("[]").andExpect(status().isBadRequest());
		this.mvc.perform(post("/predict").contentType(MediaType.TEXT_PLAIN).content("hello"))
			.andExpect(status().isUnsupportedMediaType())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		predict("{\"text\": \"x\"}", "Cache-Control", "max-age=-1").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("max-age")));
		verifyNoInteractions(this.predictions);
	}

	private ResultActions predict(String body, String... headers) throws Exception {
		var request = post("/predict").contentType(MediaType.APPLICATION_JSON).content(body);
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return this.mvc.perform(request);
	}

}
