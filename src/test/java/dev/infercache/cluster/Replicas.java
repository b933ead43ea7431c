package dev.infercache.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.infercache.InfercacheApplication;
import dev.infercache.ScriptedApplication;
import dev.infercache.ScriptedModel;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application replicas a cluster test starts in this JVM, each on a port of its own,
 * closed together when the test is done, and the arguments that make them share a store
 * or tell them apart.
 */
final class Replicas implements AutoCloseable {

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	/**
	 * Starts a replica on the configured model.
	 * @param args command-line arguments
	 * @return the running replica; {@link #close()} closes it
	 */
	ConfigurableApplicationContext start(List<String> args) {
		return started(new SpringApplicationBuilder(InfercacheApplication.class).run(onAnyPort(args)));
	}

	/**
	 * Starts a replica whose jobs run on a model the test steers.
	 * @param model the model
	 * @param args command-line arguments
	 * @return the running replica; {@link #close()} closes it
	 */
	ConfigurableApplicationContext start(ScriptedModel model, List<String> args) {
		return started(ScriptedApplication.start(model, new String[0], onAnyPort(args)));
	}

	/** Closes every replica started so far, in the order they started. */
	@Override
	public void close() {
		this.started.forEach(ConfigurableApplicationContext::close);
		this.started.clear();
	}

	/**
	 * Arguments that name a replica: the owner of its leases and the name in its logs.
	 */
	static List<String> named(String name) {
		return List.of("--infercache.cluster.instance-id=" + name, "--spring.application.name=" + name);
	}

	/**
	 * Arguments that make replicas share one Redis or Redis Cluster cache. Its time-outs
	 * are generous, since these tests are about sharing, not outages, on a loaded
	 * machine.
	 * @param redis where the cache is, {@code --spring.data.redis.url=...} or
	 * {@code --spring.data.redis.cluster.nodes=...}
	 * @param prefix the key prefix, fresh for each test
	 * @return the arguments
	 */
	static List<String> sharingRedis(String redis, String prefix) {
		return List.of("--infercache.cache.backend=redis", redis, "--infercache.cache.redis.key-prefix=" + prefix,
				"--spring.data.redis.timeout=5s", "--spring.data.redis.connect-timeout=5s");
	}

	/** All the arguments, in order. */
	@SafeVarargs
	static List<String> arguments(List<String>... parts) {
		return Stream.of(parts).flatMap(List::stream).toList();
	}

	private ConfigurableApplicationContext started(ConfigurableApplicationContext replica) {
		this.started.add(replica);
		return replica;
	}

	private static String[] onAnyPort(List<String> args) {
		return arguments(args, List.of("--server.port=0")).toArray(String[]::new);
	}

}
