package dev.infercache.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.swagger.v3.oas.annotations.Hidden;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The OpenAPI document at {@code /v3/api-docs} and Swagger UI at
 * {@code /swagger-ui.html}. The document is {@code openapi.json}, generated from the
 * controllers by springdoc in a test that fails when it drifts from them; serving a file
 * spares every start-up springdoc's scan and the libraries it brings. Swagger UI is the
 * webjar's own page, with an initializer that points it at that document.
 */
@Hidden
@Controller
class ApiDocumentation implements WebMvcConfigurer {

	static final String DOCUMENT = "openapi.json";

	private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";

	private final ObjectProvider<BuildProperties> build;

	private final JsonMapper json;

	private volatile byte @Nullable [] document;

	ApiDocumentation(ObjectProvider<BuildProperties> build, JsonMapper json) {
		this.build = build;
		this.json = json;
	}

	@GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<byte[]> document() {
		byte[] bytes = this.document;
		if (bytes == null) {
			bytes = versioned(read(DOCUMENT));
			this.document = bytes;
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(bytes);
	}

	/**
	 * The document with this build's version: the file leaves it out, so that it does not
	 * change with every release.
	 */
	private byte[] versioned(byte[] document) {
		BuildProperties properties = this.build.getIfAvailable();
		ObjectNode tree = (ObjectNode) this.json.readTree(document);
		((ObjectNode) tree.get("info")).put("version", (properties != null) ? properties.getVersion() : "dev");
		return this.json.writeValueAsBytes(tree);
	}

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addRedirectViewController("/swagger-ui.html", "/swagger-ui/index.html");
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		// our swagger-initializer.js comes first and so replaces the webjar's, which
		// shows a demo API
		registry.addResourceHandler("/swagger-ui/**")
			.addResourceLocations("classpath:/swagger-ui/", "classpath:/" + WEBJAR + swaggerUiVersion() + "/");
	}

	private static String swaggerUiVersion() {
		Properties pom = new Properties();
		try (InputStream in = new ClassPathResource("META-INF/maven/org.webjars/swagger-ui/pom.properties")
			.getInputStream()) {
			pom.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Swagger UI's webjar is not on the class path", ex);
		}
		return pom.getProperty("version");
	}

	private static byte[] read(String resource) {
		try (InputStream in = new ClassPathResource(resource).getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(resource + " is missing from the class path", ex);
		}
	}

}
