package dev.infercache.cache;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /cache/stats}; {@code DELETE /cache} (everything), {@code DELETE
 * /cache/{key}} and {@code DELETE /cache?text=...} (one entry). The deletes are behind
 * the admin token (see {@code web.AdminTokenInterceptor}).
 */
@RestController
@RequestMapping("/cache")
class CacheController {

	private final PredictionCache cache;

	private final CacheInvalidation invalidation;

	CacheController(PredictionCache cache, CacheInvalidation invalidation) {
		this.cache = cache;
		this.invalidation = invalidation;
	}

	@GetMapping("/stats")
	CacheStats stats() {
		return this.cache.stats();
	}

	/**
	 * Empties the cache. A query parameter other than {@code text} is refused rather than
	 * ignored: {@code DELETE /cache?key=...} or a misspelt {@code ?Text=} must not empty
	 * the whole cache.
	 */
	@DeleteMapping
	ClearedResponse clear(HttpServletRequest request) {
		if (!request.getParameterMap().isEmpty()) {
			throw new InvalidCacheKeyException("DELETE /cache takes no query parameter but 'text' (got '"
					+ request.getParameterNames().nextElement().replaceAll("[^A-Za-z0-9_.-]", "?")
					+ "'): remove one entry with DELETE /cache/{key} or DELETE /cache?text=..., "
					+ "empty the cache with DELETE /cache alone");
		}
		this.invalidation.clear();
		return new ClearedResponse("Cache cleared", this.cache.stats());
	}

	@DeleteMapping(params = "text")
	RemovedResponse removeByText(@RequestParam String text) {
		return new RemovedResponse(this.invalidation.removeByText(text));
	}

	@DeleteMapping("/{key}")
	RemovedResponse removeByKey(@PathVariable String key) {
		return new RemovedResponse(this.invalidation.removeByKey(key));
	}

	record ClearedResponse(String message, CacheStats stats) {
	}

	/**
	 * The answer to a removal of one entry.
	 *
	 * @param removed whether the cache held an entry for it
	 */
	record RemovedResponse(boolean removed) {
	}

}
