package dev.infercache.predict;

import java.util.Map;

import dev.infercache.model.SentimentModel;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}, which names the model that answers predictions, and {@code GET /health},
 * a plain liveness answer for simple clients. Orchestrators should probe
 * {@code /actuator/health/liveness} and {@code /actuator/health/readiness} instead.
 */
@RestController
class ServiceController {

	private final SentimentModel model;

	ServiceController(SentimentModel model) {
		this.model = model;
	}

	@GetMapping("/")
	Map<String, String> root() {
		return Map.of("message", "infercache sentiment service is running", "model", this.model.id().toString());
	}

	@GetMapping("/health")
	Map<String, String> health() {
		return Map.of("status", "healthy");
	}

}
