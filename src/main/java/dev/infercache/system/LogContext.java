package dev.infercache.system;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.core.task.TaskDecorator;

/**
 * The keys this service puts in the MDC, and their values carried from one thread to
 * another. A request's work goes on in other threads (a job on a worker, its row's commit
 * on the writer), and its log lines there must still name the request: the context is
 * taken where the work is handed over ({@link #current()}) and opened where it runs
 * ({@link #open()}), by hand or by the {@link #TASKS} decorator of an executor.
 */
public final class LogContext {

	/**
	 * The request a line is about: its {@code X-Request-Id} (set by the web layer's
	 * filter).
	 */
	public static final String REQUEST_ID = "request_id";

	/** The job a line is about. */
	public static final String JOB_ID = "job_id";

	private static final String[] KEYS = { REQUEST_ID, JOB_ID };

	/** Runs each task in the log context of the thread that handed it over. */
	public static final TaskDecorator TASKS = (task) -> {
		LogContext context = current();
		return () -> {
			try (Scope scope = context.open()) {
				task.run();
			}
		};
	};

	private final @Nullable String[] values;

	private LogContext(@Nullable String[] values) {
		this.values = values;
	}

	/**
	 * The context of the calling thread.
	 * @return its values of every key, present or not
	 */
	public static LogContext current() {
		return new LogContext(values());
	}

	/**
	 * Puts this context in the calling thread's MDC until the scope is closed, which puts
	 * back what was there before: a key this context does not have is absent meanwhile.
	 * @return the scope to close
	 */
	public Scope open() {
		@Nullable String[] previous = values();
		put(this.values);
		return () -> put(previous);
	}

	private static @Nullable String[] values() {
		@Nullable String[] values = new String[KEYS.length];
		for (int i = 0; i < KEYS.length; i++) {
			values[i] = MDC.get(KEYS[i]);
		}
		return values;
	}

	private static void put(@Nullable String[] values) {
		for (int i = 0; i < KEYS.length; i++) {
			if (values[i] != null) {
				MDC.put(KEYS[i], values[i]);
			}
			else {
				MDC.remove(KEYS[i]);
			}
		}
	}

	/** An opened context; closing it cannot fail. */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
