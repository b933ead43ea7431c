package dev.infercache.cluster;

import dev.infercache.ClusterServers;
import dev.infercache.cache.RedisPredictionCache;
import io.lettuce.core.RedisURI;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link RedisPredictionCache} on one Redis ({@code INFERCACHE_REDIS_URL}), in database
 * {@value #DATABASE}, which no other test uses, so that {@code DBSIZE} counts only this
 * test's keys.
 */
class RedisPredictionCacheClusterTests extends RedisCacheContractTests {

	static final int DATABASE = 11;

	@Override
	protected LettuceConnectionFactory connect() {
		RedisURI uri = RedisURI.create(ClusterServers.redisUrl());
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
		if (uri.getPassword() != null) {
			configuration.setPassword(uri.getPassword());
		}
		configuration.setDatabase(DATABASE);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
