package dev.infercache.system;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out the auto-configurations that libraries on the class path bring but the
 * service never uses, before their classes are even loaded. A filter, unlike
 * {@code spring.autoconfigure.exclude}, follows the backend setting wherever it comes
 * from (environment variable, profile, command line), and a test's own exclusions do not
 * replace it.
 * <ul>
 * <li>Spring Boot's Redis and Netty auto-configuration, unless
 * {@code infercache.cache.backend} is {@code redis}: the Redis starter is there for the
 * shared backend, and without this every start, whatever the backend, built Lettuce's
 * client resources, a connection factory and two templates nobody uses (about 0.5 s of a
 * start measured with Spring's {@code ApplicationStartup}; docs/BENCHMARKS.md,
 * "Start-up").</li>
 * <li>Spring Data's web support and repository metrics, always: Spring Data comes with
 * the Redis client, but the service has no repositories and no pageable endpoints, and
 * the web support registers Jackson 2 modules and converters at every start.</li>
 * <li>The actuator's Jackson 2 mapper, always: the endpoints answer through Jackson 3,
 * and Jackson 2 is on the class path only because Flyway uses it internally.</li>
 * </ul>
 */
public class UnusedAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	static final String REDIS_AUTO_CONFIGURATION = "org.springframework.boot.data.redis.autoconfigure.";

	static final String NETTY_AUTO_CONFIGURATION = "org.springframework.boot.netty.autoconfigure.";

	static final String SPRING_DATA_AUTO_CONFIGURATION = "org.springframework.boot.data.autoconfigure.";

	static final String JACKSON2_ENDPOINT_AUTO_CONFIGURATION = "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.Jackson2EndpointAutoConfiguration";

	private boolean redisBackend = true;

	@Override
	public void setEnvironment(Environment environment) {
		this.redisBackend = "redis"
			.equalsIgnoreCase(environment.getProperty("infercache.cache.backend", "local").trim());
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < autoConfigurationClasses.length; i++) {
			matches[i] = !unused(autoConfigurationClasses[i]);
		}
		return matches;
	}

	private boolean unused(String candidate) {
		if (candidate == null) {
			return false;
		}
		if (candidate.startsWith(SPRING_DATA_AUTO_CONFIGURATION)
				|| candidate.equals(JACKSON2_ENDPOINT_AUTO_CONFIGURATION)) {
			return true;
		}
		return !this.redisBackend
				&& (candidate.startsWith(REDIS_AUTO_CONFIGURATION) || candidate.startsWith(NETTY_AUTO_CONFIGURATION));
	}

}
