package dev.infercache.job;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /jobs/{job_id}}: a job's status and, once completed, its result.
 */
@RestController
class JobController {

	private final JobService jobs;

	JobController(JobService jobs) {
		this.jobs = jobs;
	}

	@GetMapping("/jobs/{job_id}")
	JobResponse job(@PathVariable("job_id") String jobId) {
		UUID id = parse(jobId);
		Job job = this.jobs.find(id).orElseThrow(() -> new JobNotFoundException(jobId));
		return JobResponse.of(job);
	}

	private static UUID parse(String jobId) {
		try {
			UUID id = UUID.fromString(jobId);
			// UUID.fromString accepts short groups such as "1-1-1-1-1"; only the
			// canonical form names a job.
			if (id.toString().equalsIgnoreCase(jobId)) {
				return id;
			}
		}
		catch (IllegalArgumentException ex) {
			// not a UUID: no such job
		}
		throw new JobNotFoundException(jobId);
	}

	/**
	 * The wire form of a job: {@code job_id}, {@code status}, {@code result} (null until
	 * completed) and, for a failed job only, {@code error}.
	 */
	record JobResponse(UUID jobId, String status, @Nullable ResultBody result,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error) {

		static JobResponse of(Job job) {
			var prediction = job.getPrediction();
			return new JobResponse(job.getId(), job.getStatus().wireName(),
					(prediction != null) ? ResultBody.of(prediction) : null, job.getError());
		}

	}

}
