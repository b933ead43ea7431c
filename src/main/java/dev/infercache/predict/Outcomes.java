package dev.infercache.predict;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.infercache.job.JobNotAcceptedException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * How the controllers read the future answers of {@link PredictionService}: a failure
 * comes out as the exception the service raised (a full queue, a database error), not
 * wrapped in a {@link CompletionException}, so that the error handlers map it to its
 * status; an answer not ready yet is written once it is ready ({@link #answerLater}),
 * holding no request thread.
 */
public final class Outcomes {

	/** The request attribute that carries a failure to the handler's error dispatch. */
	private static final String FAILURE = Outcomes.class.getName() + ".failure";

	/**
	 * How long a timeout that loses to an answer being written waits for it to complete
	 * the request.
	 */
	private static final Duration ANSWER_GRACE = Duration.ofSeconds(10);

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
	 * Answers a request once its future completes, holding no request thread meanwhile.
	 * The answer is written to the response and the asynchronous request completed
	 * directly: no second pass through the filters, Spring MVC and its message
	 * converters, as a {@code DeferredResult} makes (docs/BENCHMARKS.md, "Miss path"). A
	 * small answer is written by the thread that completes the future; one that may fill
	 * a socket's buffer ({@code large}) on a container thread, so that a client reading
	 * slowly never stalls the thread that completed it (the job writer, a worker). A
	 * failure, or no answer within {@code timeoutMillis}
	 * ({@link JobNotAcceptedException}, 503), is dispatched to the same handler instead,
	 * where {@link LateFailures} throws it to the error handlers before anything runs: it
	 * is answered exactly as if the handler had thrown it.
	 * @param request the request
	 * @param response its response
	 * @param pending the service's answer, not complete yet
	 * @param timeoutMillis how long the request may wait at most
	 * @param large whether the answer may be larger than a few kilobytes
	 * @param answer turns the value into the response
	 * @param <T> the value's type
	 */
	public static <T> void answerLater(HttpServletRequest request, HttpServletResponse response,
			CompletableFuture<T> pending, long timeoutMillis, boolean large,
			Function<T, ResponseEntity<byte[]>> answer) {
		AsyncContext async = request.startAsync(request, response);
		async.setTimeout(timeoutMillis);
		// whichever comes first of the answer, the timeout and a broken connection
		AtomicBoolean settled = new AtomicBoolean();
		// counted down once the answer's thread has completed or dispatched the request
		CountDownLatch answered = new CountDownLatch(1);
		async.addListener(new AsyncListener() {

			@Override
			public void onTimeout(AsyncEvent event) {
				if (settled.compareAndSet(false, true)) {
					fail(async, new JobNotAcceptedException());
					return;
				}
				// the answer won just now: wait until it completes the request, or the
				// container writes its own error page meanwhile
				try {
					answered.await(ANSWER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

			@Override
			public void onError(AsyncEvent event) {
				settled.set(true); // the container ends the request
			}

			@Override
			public void onComplete(AsyncEvent event) {
			}

			@Override
			public void onStartAsync(AsyncEvent event) {
			}

		});
		pending.whenComplete((value, failure) -> {
			if (!settled.compareAndSet(false, true)) {
				return;
			}
			if (failure != null) {
				fail(async, unwrap(failure));
				answered.countDown();
			}
			else if (large) {
				async.start(() -> respond(async, answer, value, answered));
			}
			else {
				respond(async, answer, value, answered);
			}
		});
	}

	private static <T> void respond(AsyncContext async, Function<T, ResponseEntity<byte[]>> answer, T value,
			CountDownLatch answered) {
		try {
			ResponseEntity<byte[]> entity;
			try {
				entity = answer.apply(value);
			}
			catch (RuntimeException | Error ex) {
				fail(async, (ex instanceof RuntimeException runtime) ? runtime
						: new IllegalStateException("The answer could not be written", ex));
				return;
			}
			try {
				write(entity, (HttpServletResponse) async.getResponse());
			}
			catch (IOException | RuntimeException ex) {
				// the client has gone: nothing is left to tell it
			}
			try {
				async.complete();
			}
			catch (IllegalStateException ex) {
				// the container has ended the request already (the client went away)
			}
		}
		finally {
			answered.countDown();
		}
	}

	/**
	 * Throws the failure that {@link #answerLater} dispatched this request with, if any.
	 * @param request the request
	 */
	static void rethrowFailure(HttpServletRequest request) {
		if (request.getDispatcherType() == DispatcherType.ASYNC
				&& request.getAttribute(FAILURE) instanceof RuntimeException failure) {
			throw failure;
		}
	}

	private static void fail(AsyncContext async, RuntimeException failure) {
		async.getRequest().setAttribute(FAILURE, failure);
		async.dispatch();
	}

	/**
	 * Writes an answer to the response: its status, headers and JSON body, with
	 * {@code Content-Length}.
	 * @param entity the answer
	 * @param response the response
	 * @throws IOException when the client has gone
	 */
	public static void write(ResponseEntity<byte[]> entity, HttpServletResponse response) throws IOException {
		response.setStatus(entity.getStatusCode().value());
		entity.getHeaders().forEach((name, values) -> response.setHeader(name, values.get(0)));
		byte[] body = entity.getBody();
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		if (body != null) {
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
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
