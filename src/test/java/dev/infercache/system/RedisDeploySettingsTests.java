package dev.infercache.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis the deploy files run for the shared cache is bounded the way docs/CLUSTER.md
 * says: {@code maxmemory} with {@code volatile-lru} (entries carry an expiry, the
 * generation key does not, so it is never evicted) and no persistence, in docker-compose
 * and in deploy/k8s.
 */
class RedisDeploySettingsTests {

	@Test
	@SuppressWarnings("unchecked")
	void composeBoundsItsRedisByMemoryWithLruEvictionOfEntriesOnly() throws IOException {
		Map<String, Object> services = (Map<String, Object>) DeployFilesTests.yaml(Path.of("docker-compose.yml"))
			.get(0)
			.get("services");
		List<String> command = (List<String>) ((Map<String, Object>) services.get("redis")).get("command");
		assertThat(String.join(" ", command)).contains("--maxmemory 256mb", "--maxmemory-policy volatile-lru",
				"--appendonly no");
	}

	@Test
	@SuppressWarnings("unchecked")
	void kubernetesRunsARedisWithTheSameSettingsBehindTheServiceTheReplicasUse() throws IOException {
		List<Map<String, Object>> documents = DeployFilesTests.yaml(Path.of("deploy/k8s/redis.yaml"));
		Map<String, Object> config = documents.stream()
			.filter((d) -> "ConfigMap".equals(d.get("kind")))
			.findFirst()
			.orElseThrow();
		String redisConf = (String) ((Map<String, Object>) config.get("data")).get("redis.conf");
		assertThat(redisConf).contains("maxmemory 256mb", "maxmemory-policy volatile-lru", "appendonly no");
		Map<String, Object> service = documents.stream()
			.filter((d) -> "Service".equals(d.get("kind")))
			.findFirst()
			.orElseThrow();
		assertThat(((Map<String, Object>) service.get("metadata")).get("name")).isEqualTo("redis");
		assertThat(Files.readString(Path.of("deploy/k8s/configmap.yaml"))).contains("redis://redis:6379");
		assertThat(Files.readString(Path.of("deploy/k8s/kustomization.yaml"))).contains("redis.yaml");
	}

}
