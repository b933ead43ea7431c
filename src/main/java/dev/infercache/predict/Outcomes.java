package dev.infercache.predict;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import dev.infercache.job.JobNotAcceptedException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * How the controllers read the future answers of {@link PredictionService}: a failure
 * comes out as the exception the service raised (a full queue, a database error), not
 * wrapped in a {@link CompletionException}, so that the error handlers map it to its
 * status; an answer not ready yet is handed to Spring MVC as a {@link DeferredResult},
 * holding no request thread.
 */
public final class Outcomes {

	private Outcomes() {
	}

	/**
	 * The value of a future that has completed.
	 * @param done the future
	 * @param <T> its type
	 * @return its value
	 * @throws RuntimeException its failure, unwrapped
	 */
	public static <T> T join(CompletableFuture<T> done) {
		try {
			return done.join();
		}
		catch (CompletionException ex) {
			throw unwrap(ex);
		}
	}

	/**
	 * The answer to a request once its future completes.
	 * @param pending the service's answer, not complete yet
	 * @param timeoutMillis how long the request may wait at most; then
	 * {@link JobNotAcceptedException} (503)
	 * @param answer turns the value into the response
	 * @param <T> the value's type
	 * @return the deferred response
	 */
	public static <T> DeferredResult<ResponseEntity<byte[]>> deferred(CompletableFuture<T> pending, long timeoutMillis,
			Function<T, ResponseEntity<byte[]>> answer) {
		DeferredResult<ResponseEntity<byte[]>> deferred = new DeferredResult<>(timeoutMillis);
		deferred.onTimeout(() -> deferred.setErrorResult(new JobNotAcceptedException()));
		pending.whenComplete((value, failure) -> {
			if (failure != null) {
				deferred.setErrorResult(unwrap(failure));
				return;
			}
			try {
				deferred.setResult(answer.apply(value));
			}
			catch (RuntimeException ex) {
				deferred.setErrorResult(ex);
			}
		});
		return deferred;
	}

	/**
	 * The exception behind a future's failure.
	 * @param failure what the future failed with
	 * @return the service's own exception
	 */
	public static RuntimeException unwrap(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return (cause instanceof RuntimeException runtime) ? runtime
				: new IllegalStateException("No job could be started", cause);
	}

}
