package dev.infercache.model;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.springframework.context.SmartLifecycle;

/**
 * A model whose id is known at once and whose engine loads on a thread of its own, so
 * that loading and warming it up (about 1 s) overlaps the rest of the application's start
 * instead of adding to it. Predictions made before the load has finished wait for it.
 *
 * <p>
 * Readiness still waits for the model: as a {@link SmartLifecycle} bean it waits for the
 * load in {@link #start()}, which the context runs before it is refreshed, and readiness
 * turns UP only after that. A failed load therefore fails the start, with the loader's
 * exception, as a model loaded in the bean's constructor did.
 */
final class BackgroundLoadedModel implements SentimentModel, SmartLifecycle, AutoCloseable {

	private final ModelId id;

	private final List<String> labels;

	private final CompletableFuture<SentimentModel> loading = new CompletableFuture<>();

	private volatile boolean running;

	/**
	 * Starts loading at once.
	 * @param id the id the loaded model will have
	 * @param labels the labels the loaded model will have
	 * @param loader loads and warms up the model; it runs on a new daemon thread named
	 * {@code model-loader}
	 */
	BackgroundLoadedModel(ModelId id, List<String> labels, Supplier<SentimentModel> loader) {
		this.id = id;
		this.labels = List.copyOf(labels);
		Thread thread = new Thread(() -> {
			try {
				this.loading.complete(loader.get());
			}
			catch (Throwable ex) {
				this.loading.completeExceptionally(ex);
			}
		}, "model-loader");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public ModelId id() {
		return this.id;
	}

	@Override
	public List<String> labels() {
		return this.labels;
	}

	@Override
	public Prediction predict(String text) {
		return model().predict(text);
	}

	@Override
	public List<Prediction> predictAll(List<String> texts) {
		return model().predictAll(texts);
	}

	/** 0 until the model has loaded: a metrics scrape never waits for the load. */
	@Override
	public long truncatedTexts() {
		SentimentModel model = this.loading.getNow(null);
		return (model != null) ? model.truncatedTexts() : 0;
	}

	/**
	 * Waits for the load; a failed load fails the context's start with the loader's
	 * exception.
	 */
	@Override
	public void start() {
		model();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Closes the loaded model (after waiting for a load still under way) if it holds
	 * resources.
	 */
	@Override
	public void close() throws Exception {
		SentimentModel model;
		try {
			model = this.loading.join();
		}
		catch (CompletionException ex) {
			return; // nothing was loaded, nothing to close
		}
		if (model instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	private SentimentModel model() {
		try {
			SentimentModel model = this.loading.join();
			if (!model.id().equals(this.id) || !model.labels().equals(this.labels)) {
				throw new IllegalStateException("The loaded model is " + model.id() + " with labels " + model.labels()
						+ ", not " + this.id + " with " + this.labels);
			}
			return model;
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
