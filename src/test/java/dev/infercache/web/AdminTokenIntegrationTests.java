package dev.infercache.web;

import java.net.http.HttpResponse;

import dev.infercache.ApiClient;
import dev.infercache.InfercacheApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code DELETE /cache} needs the admin token when one is set; the prod profile needs one
 * set.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "infercache.admin.token=s3cret-token")
class AdminTokenIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void clearingTheCacheNeedsTheBearerToken() {
		ApiClient api = new ApiClient(this.port);

		HttpResponse<String> none = api.delete("/cache");
		assertThat(none.statusCode()).isEqualTo(401);
		assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"infercache\"");
		assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");

		assertThat(api.delete("/cache", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
		assertThat(api.delete("/cache", "Authorization", "Bearer s3cret-token-and-more").statusCode()).isEqualTo(401);
		assertThat(api.delete("/cache", "Authorization", "Basic czNjcmV0LXRva2Vu").statusCode()).isEqualTo(401);
		assertThat(api.delete("/cache", "Authorization", "s3cret-token").statusCode()).isEqualTo(401);

		HttpResponse<String> allowed = api.delete("/cache", "Authorization", "Bearer s3cret-token");
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(allowed).get("message").stringValue()).isEqualTo("Cache cleared");
	}

	@Test
	void statsStayOpen() {
		assertThat(new ApiClient(this.port).get("/cache/stats").statusCode()).isEqualTo(200);
	}

	@Test
	void prodProfileRefusesToStartWithoutAToken() {
		SpringApplicationBuilder app = new SpringApplicationBuilder(InfercacheApplication.class).profiles("prod");
		assertThatThrownBy(() -> app.run("--server.port=0", "--infercache.admin.token=",
				"--infercache.model.type=keyword", "--spring.datasource.url=jdbc:h2:mem:prod-without-token"))
			.hasStackTraceContaining("INFERCACHE_ADMIN_TOKEN");
	}

}
