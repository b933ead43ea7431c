package dev.infercache.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.infercache.model.ModelId;

/**
 * Measures the heap that 100,000 cached results really hold and sets it beside what
 * {@code stats().memoryMb()} reports, for each real backend. Run with a stop-the-world
 * collector so that used heap after {@link System#gc()} is the live set:
 * {@code ./mvnw -Pbench test-compile exec:exec@memory} (which passes
 * {@code -XX:+UseSerialGC}).
 *
 * <p>
 * Entries are what the service stores: a key from {@link CacheKey#of} (the text itself is
 * not kept), a fresh job UUID, and a keyword-model prediction with two label scores;
 * label strings and the model id are shared, as a model shares them.
 */
public final class EntryMemoryMeasurement {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private static final int ENTRIES = 100_000;

	private EntryMemoryMeasurement() {
	}

	/**
	 * Without arguments: measures each backend in a JVM of its own (a cache dropped
	 * earlier in the same JVM can leave objects behind that distort the next baseline),
	 * with this JVM's options. With a backend name (and optionally {@code --histogram}):
	 * measures that one.
	 */
	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			System.out.printf(Locale.ROOT, "%-9s %8s %12s %12s %9s %12s%n", "backend", "entries", "measured MiB",
					"memory_mb", "ratio", "bytes/entry");
			for (Backend backend : new Backend[] { Backend.LRU, Backend.CAFFEINE }) {
				List<String> command = new ArrayList<>();
				command.add(ProcessHandle.current().info().command().orElse("java"));
				command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
				command.addAll(List.of("-cp", System.getProperty("java.class.path"),
						EntryMemoryMeasurement.class.getName(), backend.name()));
				Process child = new ProcessBuilder(command).inheritIO().start();
				if (child.waitFor() != 0) {
					throw new IllegalStateException("measurement of " + backend + " failed");
				}
			}
			return;
		}
		Backend backend = Backend.valueOf(args[0]);
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		PredictionCache cache = null;
		for (int round = 0; round < 2; round++) {
			// dropped explicitly: an interpreted frame would keep the last cache alive
			// otherwise
			cache = null;
			long before = usedAfterGc(memory);
			cache = backend.create(ENTRIES, Clock.systemUTC(), Runnable::run);
			for (int i = 0; i < ENTRIES; i++) {
				cache.put(CacheKey.of("Review number " + i + ": the product was fine, shipping slow.", MODEL),
						CacheBenchmark.sampleValue());
			}
			long after = usedAfterGc(memory);
			CacheStats stats = cache.stats();
			double measuredMb = (after - before) / (1024.0 * 1024.0);
			// the first round warms up class loading and JIT; only the second is reported
			if (round == 1) {
				System.out.printf(Locale.ROOT, "%-9s %8d %12.3f %12.3f %9.3f %12.1f%n", backend, stats.size(),
						measuredMb, stats.memoryMb(), stats.memoryMb() / measuredMb,
						(after - before) / (double) ENTRIES);
				if (args.length > 1 && args[1].equals("--histogram")) {
					histogram();
				}
			}
			Reference.reachabilityFence(cache);
		}
	}

	/**
	 * The top of {@code jcmd <pid> GC.class_histogram}: which objects the entries are
	 * made of.
	 */
	private static void histogram() {
		try {
			Process jcmd = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()),
					"GC.class_histogram")
				.redirectErrorStream(true)
				.start();
			jcmd.inputReader().lines().limit(18).forEach(System.out::println);
			jcmd.waitFor();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static long usedAfterGc(MemoryMXBean memory) {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
