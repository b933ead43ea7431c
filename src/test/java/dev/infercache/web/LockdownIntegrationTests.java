package dev.infercache.web;

import java.net.http.HttpResponse;
import java.util.List;

import dev.infercache.ApiClient;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service exposes and how: only health, info and prometheus on the actuator;
 * security headers on every answer; {@code no-store} on errors; request size limits at
 * the connector.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LockdownIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	WebServerApplicationContext context;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "env", "env/spring.datasource.password", "heapdump", "threaddump", "shutdown",
			"configprops", "beans", "loggers", "metrics", "mappings", "scheduledtasks", "caches", "conditions",
			"flyway", "sbom" })
	void actuatorEndpointsBeyondHealthInfoAndPrometheusAre404(String endpoint) {
		assertThat(this.api.get("/actuator/" + endpoint).statusCode()).isEqualTo(404);
		assertThat(this.api.post("/actuator/" + endpoint, "application/json", "{}").statusCode()).isIn(404, 405);
	}

	@Test
	void healthInfoAndPrometheusAreExposed() {
		for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
				"/actuator/info", "/actuator/prometheus")) {
			assertThat(this.api.get(path).statusCode()).as(path).isEqualTo(200);
		}
		assertThat(ApiClient.json(this.api.get("/actuator")).get("_links").propertyNames())
			.allMatch((link) -> link.equals("self") || link.startsWith("health") || link.equals("info")
					|| link.equals("prometheus"));
	}

	@Test
	void everyAnswerCarriesTheSecurityHeaders() {
		List<HttpResponse<String>> answers = List.of(this.api.get("/health"), this.api.get("/"),
				this.api.predict("security headers on a miss"), this.api.get("/cache/stats"),
				this.api.post("/predict", "application/json", "{"), this.api.get("/no/such/route"),
				this.api.get("/actuator/env"), this.api.get("/actuator/health"), this.api.get("/v3/api-docs"),
				this.api.post("/predict", "application/json", new byte[300 * 1024]));
		for (HttpResponse<String> answer : answers) {
			String what = answer.request().method() + " " + answer.uri() + " -> " + answer.statusCode();
			assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
			assertThat(answer.headers().firstValue("Referrer-Policy")).as(what).hasValue("no-referrer");
			assertThat(answer.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
			assertThat(answer.headers().firstValue("Content-Security-Policy")).as(what)
				.hasValue(SecurityHeadersFilter.API_POLICY);
		}
	}

	@Test
	void errorsAreNeverStored() {
		assertThat(this.api.post("/predict", "application/json", "{").headers().firstValue("Cache-Control"))
			.hasValue("no-store");
		assertThat(this.api.get("/no/such/route").headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(this.api.post("/predict", "text/plain", "hello").headers().firstValue("Cache-Control"))
			.hasValue("no-store");
		assertThat(this.api.post("/predict", "application/json", new byte[300 * 1024])
			.headers()
			.firstValue("Cache-Control")).hasValue("no-store");
		assertThat(this.api.get("/jobs/2b1e9d6c-0000-4000-8000-000000000000").headers().firstValue("Cache-Control"))
			.hasValue("no-store");
	}

	@Test
	void swaggerUiGetsAPolicyThatLetsItLoadFromThisOriginOnly() {
		HttpResponse<String> ui = this.api.get("/swagger-ui/index.html");
		assertThat(ui.statusCode()).isEqualTo(200);
		String policy = ui.headers().firstValue("Content-Security-Policy").orElseThrow();
		assertThat(policy).isEqualTo(SecurityHeadersFilter.SWAGGER_UI_POLICY)
			.contains("script-src 'self'")
			.doesNotContain("unsafe-eval")
			.doesNotContain("*");
		// the page loads only same-origin scripts, none inline
		assertThat(ui.body()).doesNotContainPattern("<script>(?s).*\\S.*</script>").doesNotContain("src=\"http");
	}

	@Test
	void theConnectorLimitsRequestSizes() {
		Connector connector = ((TomcatWebServer) this.context.getWebServer()).getTomcat().getConnector();
		AbstractHttp11Protocol<?> http = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();
		assertThat(http.getMaxSwallowSize()).isEqualTo(512 * 1024);
		assertThat(connector.getMaxPostSize()).isEqualTo(16 * 1024);
		assertThat(http.getMaxHttpRequestHeaderSize()).isEqualTo(8 * 1024);
		assertThat(http.getConnectionTimeout()).isEqualTo(15_000);
	}

	@Test
	void anOversizedHeaderIsRefusedAndTheServiceGoesOn() {
		HttpResponse<String> response = this.api.get("/health", "X-Padding", "a".repeat(16 * 1024));
		assertThat(response.statusCode()).isIn(400, 431);
		assertThat(this.api.get("/health").statusCode()).isEqualTo(200);
	}

}
