package dev.infercache.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.infercache.ApiClient;
import dev.infercache.Scrape;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's kit in {@code deploy/monitoring} and {@code deploy/k8s} parses, has what
 * it promises (the dashboard's panels, the alerts, the Kubernetes objects), and names
 * only metrics that a running application publishes on {@code /actuator/prometheus}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DeployKitIntegrationTests {

	private static final Path MONITORING = Path.of("deploy/monitoring");

	/** Metric names in PromQL: ours, and the Spring MVC request timer. */
	private static final Pattern METRIC = Pattern
		.compile("\\b(infercache_[a-z0-9_]+|http_server_requests_seconds_[a-z]+)\\b");

	@LocalServerPort
	int port;

	@Test
	void dashboardHasAPanelForEachQuestionAnOperatorAsks() throws IOException {
		JsonNode dashboard = JsonMapper.builder()
			.build()
			.readTree(MONITORING.resolve("infercache-dashboard.json").toFile());
		List<String> titles = new ArrayList<>();
		dashboard.get("panels").forEach((panel) -> titles.add(panel.get("title").stringValue()));
		assertThat(titles).anyMatch((t) -> t.contains("X-Cache"))
			.anyMatch((t) -> t.contains("Hit ratio"))
			.anyMatch((t) -> t.contains("Miss latency"))
			.anyMatch((t) -> t.contains("Queue depth and rejections"))
			.anyMatch((t) -> t.contains("Model latency"))
			.anyMatch((t) -> t.contains("failed"))
			.anyMatch((t) -> t.contains("Redis"));
		dashboard.get("panels")
			.forEach((panel) -> assertThat(panel.get("targets")).as(panel.get("title").stringValue()).isNotEmpty());
	}

	@Test
	@SuppressWarnings("unchecked")
	void alertsCoverHitRatioQueueErrorsJobsAndTheSharedCache() throws IOException {
		Map<String, Object> rule = DeployFilesTests.yaml(MONITORING.resolve("prometheusrule.yaml")).get(0);
		assertThat(rule).containsEntry("kind", "PrometheusRule");
		List<String> alerts = alertRules().stream().map((r) -> (String) r.get("alert")).toList();
		assertThat(alerts).containsExactlyInAnyOrder("InfercacheHitRatioFalling", "InfercacheQueueSaturated",
				"InfercacheHighErrorRate", "InfercacheJobsFailing", "InfercacheSharedCacheDegraded");
		for (Map<String, Object> alert : alertRules()) {
			assertThat((Map<String, Object>) alert.get("labels")).containsKey("severity");
			assertThat((Map<String, Object>) alert.get("annotations")).containsKeys("summary", "description");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void monitoringAndKubernetesObjectsAreWhereTheKustomizationsSay() throws IOException {
		Map<String, Object> monitor = DeployFilesTests.yaml(MONITORING.resolve("servicemonitor.yaml")).get(0);
		assertThat(monitor).containsEntry("kind", "ServiceMonitor");
		Map<String, Object> endpoint = ((List<Map<String, Object>>) ((Map<String, Object>) monitor.get("spec"))
			.get("endpoints")).get(0);
		assertThat(endpoint).containsEntry("path", "/actuator/prometheus").containsEntry("port", "http");
		assertThat(Files.readString(MONITORING.resolve("kustomization.yaml"))).contains("servicemonitor.yaml",
				"prometheusrule.yaml", "infercache-dashboard.json");

		Map<String, Object> pdb = DeployFilesTests.yaml(Path.of("deploy/k8s/pdb.yaml")).get(0);
		assertThat(pdb).containsEntry("kind", "PodDisruptionBudget");
		assertThat((Map<String, Object>) pdb.get("spec")).containsEntry("minAvailable", 1);
		Map<String, Object> hpa = DeployFilesTests.yaml(Path.of("deploy/k8s/hpa.yaml")).get(0);
		assertThat(hpa).containsEntry("kind", "HorizontalPodAutoscaler");
		assertThat(((Map<String, Object>) ((Map<String, Object>) hpa.get("spec")).get("scaleTargetRef")))
			.containsEntry("kind", "Deployment")
			.containsEntry("name", "infercache");
		assertThat(Files.readString(Path.of("deploy/k8s/kustomization.yaml"))).contains("pdb.yaml", "hpa.yaml");
	}

	@Test
	void everyMetricTheDashboardAndTheAlertsUseIsPublished() throws IOException {
		Set<String> used = new TreeSet<>();
		JsonNode dashboard = JsonMapper.builder()
			.build()
			.readTree(MONITORING.resolve("infercache-dashboard.json").toFile());
		dashboard.get("panels")
			.forEach((panel) -> panel.get("targets")
				.forEach((target) -> used.addAll(metrics(target.get("expr").stringValue()))));
		for (Map<String, Object> alert : alertRules()) {
			used.addAll(metrics((String) alert.get("expr")));
		}
		assertThat(used).contains("infercache_cache_gets_total", "infercache_jobs_queue_depth",
				"infercache_jobs_rejected_total", "infercache_model_inference_seconds", "infercache_jobs_failed_total",
				"infercache_cache_shared_degraded", "http_server_requests_seconds_count");

		// one miss (202, a job, an inference) and then a hit, so that every timer has
		// been used
		ApiClient api = new ApiClient(this.port);
		assertThat(api.predict("The deploy kit's dashboard works.").statusCode()).isEqualTo(202);
		await().untilAsserted(
				() -> assertThat(api.predict("The deploy kit's dashboard works.").headers().firstValue("X-Cache"))
					.hasValue("HIT"));
		Set<String> published = Scrape.of(api).names();
		assertThat(published).containsAll(used);
	}

	private static Set<String> metrics(String promql) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = METRIC.matcher(promql);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> alertRules() throws IOException {
		Map<String, Object> spec = (Map<String, Object>) DeployFilesTests
			.yaml(MONITORING.resolve("prometheusrule.yaml"))
			.get(0)
			.get("spec");
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) spec.get("groups")) {
			rules.addAll((List<Map<String, Object>>) group.get("rules"));
		}
		return rules;
	}

}
