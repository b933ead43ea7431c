package dev.infercache.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.infercache.ApiClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the service serves is the one springdoc generates from the
 * controllers. springdoc runs here only (it is a test dependency): at run time it would
 * cost every start about a second and 2,400 classes, so the document is generated once
 * and served as a file.
 *
 * <p>
 * When a controller or {@link OpenApiDescription} changes, this test fails; regenerate
 * the file with
 * {@code ./mvnw test -Dtest=OpenApiDescriptionTests -Dinfercache.openapi.write=true} and
 * commit it with the change.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "springdoc.api-docs.enabled=true", "springdoc.api-docs.path=/generated-api-docs",
				"springdoc.default-produces-media-type=application/json", "springdoc.show-actuator=false" })
@Import(OpenApiDescription.class)
class OpenApiDescriptionTests {

	static final Path SERVED = Path.of("src/main/resources/openapi.json");

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	@LocalServerPort
	int port;

	@Test
	void theServedDocumentIsTheOneGeneratedFromTheControllers() throws IOException {
		HttpResponse<String> generated = new ApiClient(this.port).get("/generated-api-docs");
		assertThat(generated.statusCode()).isEqualTo(200);
		ObjectNode document = (ObjectNode) JSON.readTree(generated.body());
		// springdoc names the server it was asked through (here a random port); the
		// served
		// document names none, so clients resolve its paths against wherever they fetched
		// it
		document.remove("servers");
		// the served document takes its version from the build when it is served
		((ObjectNode) document.get("info")).remove("version");
		if (Boolean.getBoolean("infercache.openapi.write")) {
			Files.writeString(SERVED, JSON.writeValueAsString(document) + "\n", StandardCharsets.UTF_8);
		}
		JsonNode served = JSON.readTree(Files.readString(SERVED, StandardCharsets.UTF_8));
		assertThat(served)
			.as("%s is out of date: run ./mvnw test -Dtest=OpenApiDescriptionTests -Dinfercache.openapi.write=true",
					SERVED)
			.isEqualTo(document);
	}

}
