package dev.infercache.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.infercache.job.JobProperties;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy files keep their promises as far as a machine without a Docker engine or a
 * cluster can check: the compose file runs PostgreSQL, Redis, two replicas in cluster
 * mode and one load balancer; the Kubernetes Deployment probes the actuator groups, runs
 * as non-root with resources, and takes its secrets from a Secret.
 */
class DeployFilesTests {

	@Test
	@SuppressWarnings("unchecked")
	void composeRunsTwoClusteredReplicasBehindOnePort() throws IOException {
		Map<String, Object> compose = yaml(Path.of("docker-compose.yml")).get(0);
		Map<String, Object> services = (Map<String, Object>) compose.get("services");
		assertThat(services).containsKeys("postgres", "redis", "replica-1", "replica-2", "lb");
		for (String replica : List.of("replica-1", "replica-2")) {
			Map<String, Object> service = (Map<String, Object>) services.get(replica);
			Map<String, Object> environment = (Map<String, Object>) service.get("environment");
			assertThat(environment.get("SPRING_PROFILES_ACTIVE").toString()).contains("prod").contains("postgres");
			assertThat(environment).containsEntry("INFERCACHE_CACHE_BACKEND", "redis")
				.containsEntry("INFERCACHE_CLUSTER_INSTANCE_ID", replica)
				.containsKey("INFERCACHE_ADMIN_TOKEN");
			List<String> healthcheck = (List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test");
			assertThat(healthcheck.get(0)).isEqualTo("CMD");
			assertThat(String.join(" ", healthcheck)).contains("bash").contains("/actuator/health/readiness");
		}
		Map<String, Object> lb = (Map<String, Object>) services.get("lb");
		assertThat((List<String>) lb.get("ports")).containsExactly("8080:8080");
		String nginx = Files.readString(Path.of("deploy/nginx/nginx.conf"));
		assertThat(nginx).contains("server replica-1:8080").contains("server replica-2:8080");
	}

	@Test
	@SuppressWarnings("unchecked")
	void kubernetesDeploymentProbesTheActuatorGroupsAndRunsAsNonRoot() throws IOException {
		Map<String, Object> deployment = yaml(Path.of("deploy/k8s/deployment.yaml")).get(0);
		assertThat(deployment).containsEntry("kind", "Deployment");
		Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment
			.get("spec")).get("template")).get("spec");
		assertThat((Map<String, Object>) pod.get("securityContext")).containsEntry("runAsNonRoot", true);
		Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
		assertThat(probePath(container, "livenessProbe")).isEqualTo("/actuator/health/liveness");
		assertThat(probePath(container, "readinessProbe")).isEqualTo("/actuator/health/readiness");
		Map<String, Object> resources = (Map<String, Object>) container.get("resources");
		assertThat(resources).containsKeys("requests", "limits");
		assertThat((Map<String, Object>) container.get("securityContext")).containsEntry("readOnlyRootFilesystem", true)
			.containsEntry("allowPrivilegeEscalation", false);
		assertThat(container.get("envFrom").toString()).contains("secretRef");

		Map<String, Object> secret = yaml(Path.of("deploy/k8s/secret.yaml")).get(0);
		assertThat(secret).containsEntry("kind", "Secret");
		assertThat((Map<String, Object>) secret.get("stringData")).containsKeys("INFERCACHE_ADMIN_TOKEN",
				"INFERCACHE_DB_PASSWORD");
		assertThat(yaml(Path.of("deploy/k8s/service.yaml")).get(0)).containsEntry("kind", "Service");
		assertThat(Files.readString(Path.of("deploy/k8s/kustomization.yaml"))).contains("deployment.yaml",
				"service.yaml", "secret.yaml", "configmap.yaml");
	}

	@Test
	@SuppressWarnings("unchecked")
	void terminationGraceCoversThePreStopPauseTheJobsAndTheInFlightRequests() throws IOException {
		Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) yaml(
				Path.of("deploy/k8s/deployment.yaml"))
			.get(0)
			.get("spec")).get("template")).get("spec");
		Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
		Map<String, Object> preStop = (Map<String, Object>) ((Map<String, Object>) container.get("lifecycle"))
			.get("preStop");
		List<String> pause = (List<String>) ((Map<String, Object>) preStop.get("exec")).get("command");
		assertThat(pause.get(0)).isEqualTo("sleep");
		Map<String, Object> settings = yaml(Path.of("src/main/resources/application.yml")).get(0);
		// the jobs' grace is JobProperties' default, bound as the application binds it
		long jobs = new Binder(new MapConfigurationPropertySource())
			.bindOrCreate("infercache.jobs", JobProperties.class)
			.shutdownGrace()
			.toSeconds();
		long requests = seconds(property(settings, "spring", "lifecycle", "timeout-per-shutdown-phase"));
		long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();
		assertThat(grace).isGreaterThan(Long.parseLong(pause.get(1)) + jobs + requests);
		assertThat(Files.readString(Path.of("docs/OPERATIONS.md"))).contains("grace period of " + grace + " s");
	}

	@SuppressWarnings("unchecked")
	private static String property(Map<String, Object> yaml, String... path) {
		Object value = yaml;
		for (String key : path) {
			value = ((Map<String, Object>) value).get(key);
		}
		return String.valueOf(value);
	}

	private static long seconds(String duration) {
		assertThat(duration).matches("[0-9]+s");
		return Long.parseLong(duration.substring(0, duration.length() - 1));
	}

	@SuppressWarnings("unchecked")
	private static String probePath(Map<String, Object> container, String probe) {
		Map<String, Object> httpGet = (Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet");
		return (String) httpGet.get("path");
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> yaml(Path file) throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		try (Reader reader = Files.newBufferedReader(file)) {
			for (Object document : new Yaml().loadAll(reader)) {
				documents.add((Map<String, Object>) document);
			}
		}
		return documents;
	}

}
