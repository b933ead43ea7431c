package dev.infercache.model;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which sentiment model runs, and how.
 *
 * @param type which implementation: {@code keyword} (load testing), {@code bge} (the
 * default, a real model) or {@code onnx} (a Hugging Face classifier exported to ONNX,
 * from {@code path})
 * @param path the directory of a user's ONNX model ({@code model.onnx},
 * {@code tokenizer.json}, {@code config.json}); required when {@code type=onnx}
 * @param simulatedLatency extra time each keyword-model inference takes (load testing
 * only)
 * @param maxBatch the most texts run in one model call; 1 (the default) keeps every
 * answer independent of the other texts in flight (the quantized bge model's answers
 * shift slightly with their batch-mates, see docs/MODEL.md), more buys throughput under
 * concurrent misses
 * @param batchWait how long the first text of a batch may wait for others to join it
 * @param concurrency model calls that may run side by side; 0 (the default) means one per
 * core and one more
 * @param intraOpThreads threads ONNX Runtime may use inside one call; 0 lets it choose.
 * The default, 1, pairs with {@code concurrency} (about one call per core): each call
 * keeps to one core
 * @param neutralBand {@code neutral} is answered when the positive probability lies
 * within this distance of 0.5
 * @param maxTokens texts longer than this many tokens are truncated (never an error)
 */
@ConfigurationProperties("infercache.model")
public record ModelProperties(@DefaultValue("bge") Type type, @Nullable Path path,
		@DefaultValue("0s") Duration simulatedLatency, @DefaultValue("1") int maxBatch,
		@DefaultValue("5ms") Duration batchWait, @DefaultValue("1") int intraOpThreads,
		@DefaultValue("0.1") double neutralBand, @DefaultValue("512") int maxTokens,
		@DefaultValue("0") int concurrency) {

	public ModelProperties {
		require(!simulatedLatency.isNegative(), "infercache.model.simulated-latency cannot be negative: %s",
				simulatedLatency);
		require(maxBatch >= 1, "infercache.model.max-batch must be at least 1: %s", maxBatch);
		require(!batchWait.isNegative(), "infercache.model.batch-wait cannot be negative: %s", batchWait);
		require(intraOpThreads >= 0, "infercache.model.intra-op-threads cannot be negative: %s", intraOpThreads);
		require(neutralBand >= 0 && neutralBand < 0.5, "infercache.model.neutral-band must be in [0, 0.5): %s",
				neutralBand);
		require(concurrency >= 0, "infercache.model.concurrency cannot be negative: %s", concurrency);
		require(maxTokens >= 8, "infercache.model.max-tokens must be at least 8: %s", maxTokens);
		require(type != Type.ONNX || path != null,
				"infercache.model.path is required when infercache.model.type=onnx%s", "");
	}

	/**
	 * Model calls that may run side by side: {@code concurrency}, or when it is 0 one per
	 * core and one more. The extra call keeps a core busy whenever one of the others
	 * waits for a core the service's own threads took, or for the VM: on 2 cores, 3 calls
	 * did 21-22 % more results/s than 2 under load, and the machine's idle time fell from
	 * 5-6 % to 1 % (docs/BENCHMARKS.md, "Miss path"). Each call is still one text, so
	 * answers do not change.
	 */
	public int effectiveConcurrency() {
		return (this.concurrency > 0) ? this.concurrency : Runtime.getRuntime().availableProcessors() + 1;
	}

	private static void require(boolean condition, String message, Object argument) {
		if (!condition) {
			throw new IllegalArgumentException(String.format(message, argument));
		}
	}

	/** The model implementations that can be selected. */
	public enum Type {

		/**
		 * The compatible API's keyword rules with an optional simulated latency, for load
		 * tests.
		 */
		KEYWORD,

		/** bge-small-en-v1.5 with the trained sentiment head shipped in the jar. */
		BGE,

		/** A user's Hugging Face text-classification model exported to ONNX. */
		ONNX

	}

}
