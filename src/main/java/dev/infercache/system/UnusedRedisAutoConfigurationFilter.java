package dev.infercache.system;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves Spring Boot's Redis auto-configuration out unless {@code infercache.cache.backend} is
 * {@code redis}. The Redis starter is on the classpath for the shared backend, and without this
 * every start, whatever the backend, built Lettuce's client resources, a connection factory and
 * two templates nobody uses (about 0.5 s of a start measured with Spring's
 * {@code ApplicationStartup}; docs/BENCHMARKS.md, "Start-up"). A filter, unlike
 * {@code spring.autoconfigure.exclude}, follows the backend setting wherever it comes from
 * (environment variable, profile, command line) and drops the classes before they are even loaded.
 */
public class UnusedRedisAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	static final String REDIS_AUTO_CONFIGURATION = "org.springframework.boot.data.redis.autoconfigure.";

	private boolean redisBackend = true;

	@Override
	public void setEnvironment(Environment environment) {
		this.redisBackend = "redis".equalsIgnoreCase(environment.getProperty("infercache.cache.backend", "local").trim());
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < autoConfigurationClasses.length; i++) {
			String candidate = autoConfigurationClasses[i];
			matches[i] = this.redisBackend || candidate == null || !candidate.startsWith(REDIS_AUTO_CONFIGURATION);
		}
		return matches;
	}

}
