package dev.infercache.job;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code GET /jobs/{job_id}}: the wire status is {@code processing} until the job ends;
 * unknown or malformed ids are 404 problems.
 */
@WebMvcTest(JobController.class)
class JobControllerTests {

	private static final ModelId MODEL = new ModelId("test-model", "7");

	private static final UUID ID = UUID.fromString("6f1c2d3e-4b5a-4c6d-8e7f-101112131415");

	@Autowired
	MockMvc mvc;

	@MockitoBean
	JobService jobs;

	@Test
	void queuedAndRunningJobsAreProcessingWithNullResult() throws Exception {
		Job job = new Job(ID, "hello", CacheKey.of("hello", MODEL), true, Instant.EPOCH);
		given(this.jobs.find(ID)).willReturn(Optional.of(job));
		this.mvc.perform(get("/jobs/" + ID))
			.andExpect(status().isOk())
			.andExpect(content().json("{\"job_id\":\"" + ID + "\",\"status\":\"processing\",\"result\":null}", true));
		job.start(Instant.EPOCH);
		this.mvc.perform(get("/jobs/" + ID)).andExpect(jsonPath("$.status").value("processing"));
	}

	@Test
	void completedJobCarriesItsResult() throws Exception {
		Job job = new Job(ID, "hello", CacheKey.of("hello", MODEL), true, Instant.EPOCH);
		job.start(Instant.EPOCH);
		job.complete(new Prediction("negative", 0.8, Map.of("negative", 0.8, "positive", 0.2), MODEL), Instant.EPOCH);
		given(this.jobs.find(ID)).willReturn(Optional.of(job));
		this.mvc.perform(get("/jobs/" + ID))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("completed"))
			.andExpect(jsonPath("$.result.sentiment").value("negative"))
			.andExpect(jsonPath("$.result.confidence").value(0.8))
			.andExpect(jsonPath("$.error").doesNotExist());
	}

	@Test
	void failedJobCarriesItsError() throws Exception {
		Job job = new Job(ID, "hello", CacheKey.of("hello", MODEL), true, Instant.EPOCH);
		job.start(Instant.EPOCH);
		job.fail("model exploded", Instant.EPOCH);
		given(this.jobs.find(ID)).willReturn(Optional.of(job));
		this.mvc.perform(get("/jobs/" + ID))
			.andExpect(jsonPath("$.status").value("failed"))
			.andExpect(jsonPath("$.result").isEmpty())
			.andExpect(jsonPath("$.error").value("model exploded"));
	}

	@Test
	void unknownAndMalformedIdsAre404Problems() throws Exception {
		given(this.jobs.find(any())).willReturn(Optional.empty());
		this.mvc.perform(get("/jobs/" + UUID.randomUUID()))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc.perform(get("/jobs/not-a-uuid")).andExpect(status().isNotFound());
		this.mvc.perform(get("/jobs/1-2-3-4-5")).andExpect(status().isNotFound());
	}

}
