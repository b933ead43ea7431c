package dev.infercache.cache;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /cache/stats} and {@code DELETE /cache} (the latter behind the admin token, see
 * {@code web.AdminTokenInterceptor}).
 */
@RestController
@RequestMapping("/cache")
class CacheController {

	private final PredictionCache cache;

	CacheController(PredictionCache cache) {
		this.cache = cache;
	}

	@GetMapping("/stats")
	CacheStats stats() {
		return this.cache.stats();
	}

	@DeleteMapping
	ClearedResponse clear() {
		this.cache.clear();
		return new ClearedResponse("Cache cleared", this.cache.stats());
	}

	record ClearedResponse(String message, CacheStats stats) {
	}

}
