package dev.infercache;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import dev.infercache.model.SentimentModel;

/**
 * A model that tests steer: it counts its calls and records their texts, fails on texts
 * containing "explode", answers texts containing "poison" with a label longer than a job
 * can store, and, while held, blocks every call until released, so a test can keep jobs
 * running as long as it needs.
 */
public final class ScriptedModel implements SentimentModel {

	public static final ModelId ID = new ModelId("scripted", "1");

	/** How long a call waits for {@link #release()} after {@link #hold()}. */
	private static final long HOLD_SECONDS = 30;

	private final Script script;

	private final Prediction answer;

	public ScriptedModel() {
		this(new Script(), new Prediction("positive", 0.9, Map.of("positive", 0.9, "negative", 0.1), ID));
	}

	private ScriptedModel(Script script, Prediction answer) {
		this.script = script;
		this.answer = answer;
	}

	/**
	 * A model that shares this one's calls, texts and gate, and answers with its own
	 * confidence: a cluster test gives one to each replica, so the call count is the
	 * cluster's and a stored result tells which replica computed it.
	 * @param confidence the confidence of every answer
	 * @return the model
	 */
	public ScriptedModel withConfidence(double confidence) {
		return new ScriptedModel(this.script,
				new Prediction("positive", confidence, Map.of("positive", confidence, "negative", 1 - confidence), ID));
	}

	@Override
	public ModelId id() {
		return ID;
	}

	@Override
	public List<String> labels() {
		return List.of("positive", "negative");
	}

	@Override
	public Prediction predict(String text) {
		this.script.calls.incrementAndGet();
		this.script.texts.add(text);
		this.script.waiting.incrementAndGet();
		try {
			Gate gate = this.script.gate;
			if (!gate.latch().await(gate.seconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test never released the model");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			this.script.waiting.decrementAndGet();
		}
		if (text.contains("explode")) {
			throw new IllegalArgumentException("the model exploded on purpose");
		}
		if (text.contains("poison")) {
			return new Prediction("p".repeat(150), this.answer.confidence(), this.answer.labelScores(), ID);
		}
		return this.answer;
	}

	/** From now on every call blocks until {@link #release()}, for at most 30 seconds. */
	public void hold() {
		this.script.gate = new Gate(new CountDownLatch(1), HOLD_SECONDS);
	}

	/**
	 * From now on every call blocks until {@link #release()}, with no time-out of its
	 * own: for a test whose running job must not end early, however long a busy machine
	 * takes.
	 */
	public void holdUntilReleased() {
		this.script.gate = new Gate(new CountDownLatch(1), Long.MAX_VALUE);
	}

	/** Lets every blocked and future call through. */
	public void release() {
		this.script.gate.latch().countDown();
	}

	/** Calls so far. */
	public int calls() {
		return this.script.calls.get();
	}

	/** Calls blocked right now. */
	public int waiting() {
		return this.script.waiting.get();
	}

	/** The texts of the calls so far, in the order they were made. */
	public List<String> texts() {
		return List.copyOf(this.script.texts);
	}

	public void reset() {
		release();
		this.script.calls.set(0);
		this.script.texts.clear();
	}

	/** What every model of one {@link #withConfidence} family shares. */
	private static final class Script {

		private final AtomicInteger calls = new AtomicInteger();

		private final List<String> texts = new CopyOnWriteArrayList<>();

		private final AtomicInteger waiting = new AtomicInteger();

		private volatile Gate gate = new Gate(new CountDownLatch(0), HOLD_SECONDS);

	}

	private record Gate(CountDownLatch latch, long seconds) {

	}

}
