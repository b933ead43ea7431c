package dev.infercache.web;

import dev.infercache.ApiClient;
import dev.infercache.InfercacheApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin token never reaches the logs: not at start-up, not when it is sent right or
 * wrong, not with request logging at DEBUG, and the actuator cannot be asked for it.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminTokenLoggingIntegrationTests {

	private static final String TOKEN = "tok-7f3a9c1e5b";

	@Test
	void theTokenIsNeverLogged(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(InfercacheApplication.class).run(
				"--server.port=0", "--infercache.admin.token=" + TOKEN, "--infercache.model.type=keyword",
				"--spring.datasource.url=jdbc:h2:mem:token-logging", "--logging.level.dev.infercache=TRACE",
				"--logging.level.org.springframework.web=DEBUG", "--logging.level.org.apache.coyote.http11=DEBUG")) {
			ApiClient api = ApiClient.of(context);
			assertThat(api.delete("/cache", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
			assertThat(api.delete("/cache", "Authorization", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
			assertThat(api.delete("/cache").statusCode()).isEqualTo(401);
			assertThat(api.get("/actuator/env/infercache.admin.token").statusCode()).isEqualTo(404);
			assertThat(api.get("/actuator/configprops").statusCode()).isEqualTo(404);
			assertThat(context.getBean(AdminProperties.class).toString()).doesNotContain(TOKEN);
		}
		assertThat(output.getAll()).contains("Tomcat started on port").doesNotContain(TOKEN);
	}

}
