package dev.infercache.predict;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * How the controllers read the future answers of {@link PredictionService}: a failure comes out
 * as the exception the service raised (a full queue, a database error), not wrapped in a
 * {@link CompletionException}, so that the error handlers map it to its status.
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
