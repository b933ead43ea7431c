package dev.infercache.job;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The answer to {@link JobService#submit}: the job that will answer the request.
 *
 * @param jobId the job's id
 * @param joined whether the request joined a job already in flight for the same key
 * @param finished completes with the finished job (completed or failed); cancelled when the job
 * could not finish on this instance (it will be run again)
 */
public record Submission(UUID jobId, boolean joined, CompletableFuture<Job> finished) {

}
