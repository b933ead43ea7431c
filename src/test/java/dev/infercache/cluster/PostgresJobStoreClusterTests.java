package dev.infercache.cluster;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.infercache.ApiClient;
import dev.infercache.ClusterServers;
import dev.infercache.InfercacheApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres profile on a real PostgreSQL: the Flyway migrations that run on H2 run
 * unchanged there, with the column types they declare, and a job goes through them end to
 * end.
 */
class PostgresJobStoreClusterTests {

	private final String schema = ClusterServers.freshSchema();

	@AfterEach
	void dropSchema() throws SQLException {
		ClusterServers.dropSchema(this.schema);
	}

	@Test
	void migrationsRunOnPostgresAndAJobCompletesThroughThem() throws SQLException {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(InfercacheApplication.class)
			.run(args())) {
			ApiClient api = ApiClient.of(context);
			// a long, non-Latin text: VARCHAR(1000000) holds it, UTF-8 round-trips
			String text = "a wonderful, great day — ünïcödé ✓ ".repeat(250);
			HttpResponse<String> miss = api.predict(text);
			assertThat(miss.statusCode()).isEqualTo(202);
			UUID jobId = ApiClient.jobId(miss);
			JsonNode job = api.awaitJob(jobId);
			assertThat(job.get("status").stringValue()).isEqualTo("completed");
			assertThat(job.get("result").get("sentiment").stringValue()).isEqualTo("positive");
			assertThat(api.predict(text).headers().firstValue("X-Cache")).hasValue("HIT");

			try (Connection connection = ClusterServers.connect()) {
				assertThat(columnTypes(connection)).containsEntry("id", "uuid")
					.containsEntry("input_text", "character varying")
					.containsEntry("created_at", "timestamp with time zone")
					.containsEntry("confidence", "double precision");
				assertThat(inputText(connection, jobId)).isEqualTo(text);
				assertThat(failedMigrations(connection)).isZero();
			}
		}
	}

	private String[] args() {
		String[] postgres = ClusterServers.postgresArgs(this.schema);
		String[] args = new String[postgres.length + 2];
		System.arraycopy(postgres, 0, args, 0, postgres.length);
		args[postgres.length] = "--server.port=0";
		args[postgres.length + 1] = "--infercache.model.type=keyword";
		return args;
	}

	private Map<String, String> columnTypes(Connection connection) throws SQLException {
		Map<String, String> types = new HashMap<>();
		try (PreparedStatement query = connection.prepareStatement(
				"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = 'jobs'")) {
			query.setString(1, this.schema);
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					types.put(rows.getString(1), rows.getString(2));
				}
			}
		}
		return types;
	}

	private String inputText(Connection connection, UUID jobId) throws SQLException {
		try (PreparedStatement query = connection
			.prepareStatement("SELECT input_text FROM " + this.schema + ".jobs WHERE id = ?")) {
			query.setObject(1, jobId);
			try (ResultSet rows = query.executeQuery()) {
				assertThat(rows.next()).isTrue();
				return rows.getString(1);
			}
		}
	}

	private int failedMigrations(Connection connection) throws SQLException {
		try (PreparedStatement query = connection
			.prepareStatement("SELECT count(*) FROM " + this.schema + ".flyway_schema_history WHERE NOT success");
				ResultSet rows = query.executeQuery()) {
			rows.next();
			return rows.getInt(1);
		}
	}

}
