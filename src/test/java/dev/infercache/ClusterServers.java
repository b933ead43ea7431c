package dev.infercache;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

/**
 * The real PostgreSQL, Redis and Redis Cluster the *ClusterTests run against
 * ({@code ./mvnw verify -Pcluster}): the servers on 127.0.0.1 unless
 * {@code INFERCACHE_DB_URL}, {@code INFERCACHE_DB_USER}, {@code INFERCACHE_DB_PASSWORD},
 * {@code INFERCACHE_REDIS_URL} or {@code INFERCACHE_REDIS_CLUSTER_NODES} say otherwise
 * ({@code .ci/run} starts the cluster with {@code scripts/redis-cluster.sh}). Each test
 * takes a fresh schema and a fresh Redis key prefix, so runs never see each other's data.
 */
public final class ClusterServers {

	private ClusterServers() {
	}

	public static String dbUrl() {
		return env("INFERCACHE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
	}

	public static String dbUser() {
		return env("INFERCACHE_DB_USER", "postgres");
	}

	public static String dbPassword() {
		return env("INFERCACHE_DB_PASSWORD", "");
	}

	public static String redisUrl() {
		return env("INFERCACHE_REDIS_URL", "redis://127.0.0.1:6379");
	}

	/** The masters of the 3-node Redis Cluster, {@code host:port,host:port,...}. */
	public static String redisClusterNodes() {
		return env("INFERCACHE_REDIS_CLUSTER_NODES", "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003");
	}

	/**
	 * Unlinks the keys matching a pattern on the Redis of {@link #redisUrl()} (database
	 * 0).
	 */
	public static void removeRedisKeys(String pattern) {
		RedisClient client = RedisClient.create(redisUrl());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().keys(pattern).forEach(connection.sync()::unlink);
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * Unlinks the keys matching a pattern on every master of
	 * {@link #redisClusterNodes()}.
	 */
	public static void removeClusterKeys(String pattern) {
		List<RedisURI> nodes = Arrays.stream(redisClusterNodes().split(","))
			.map((node) -> RedisURI.create("redis://" + node))
			.toList();
		RedisClusterClient client = RedisClusterClient.create(nodes);
		try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
			connection.sync().keys(pattern).forEach(connection.sync()::unlink);
		}
		finally {
			client.shutdown();
		}
	}

	/** A schema name no other run uses. */
	public static String freshSchema() {
		return "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
	}

	/**
	 * A Redis key prefix no other run uses (no hash tag: its keys spread over a cluster's
	 * slots).
	 */
	public static String freshPrefix() {
		return "infercache-test-" + UUID.randomUUID() + ":";
	}

	/** The JDBC URL of the database with {@code schema} first on the search path. */
	public static String dbUrl(String schema) {
		String url = dbUrl();
		return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
	}

	/**
	 * Arguments that start the application on the postgres profile, in its own schema.
	 */
	public static String[] postgresArgs(String schema) {
		return new String[] { "--spring.profiles.active=postgres", "--spring.datasource.url=" + dbUrl(schema),
				"--spring.datasource.username=" + dbUser(), "--spring.datasource.password=" + dbPassword(),
				"--spring.flyway.schemas=" + schema, "--spring.flyway.default-schema=" + schema };
	}

	public static Connection connect() throws SQLException {
		return DriverManager.getConnection(dbUrl(), dbUser(), dbPassword());
	}

	public static void dropSchema(String schema) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
