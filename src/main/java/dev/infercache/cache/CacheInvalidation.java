package dev.infercache.cache;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.infercache.model.SentimentModel;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Removes entries from the cache, all of them or one: by its {@code X-Cache-Key} (16 hex
 * digits), by its full key (64), or by its text, normalized as a request's is. Keys are
 * those of the model loaded now: the entries a request would be answered from. Each
 * removal is published ({@link CacheCleared}, {@link CacheEntriesRemoved}) after it
 * happened, so that warming on start does not bring back from the job store what an
 * operator took out.
 */
@Service
class CacheInvalidation {

	private static final Pattern KEY = Pattern.compile("[0-9a-f]{16}|[0-9a-f]{64}");

	/** The SHA-256 of the empty string: the key of every blank text. */
	private static final String EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

	private final PredictionCache cache;

	private final SentimentModel model;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	CacheInvalidation(PredictionCache cache, SentimentModel model, ApplicationEventPublisher events, Clock clock) {
		this.cache = cache;
		this.model = model;
		this.events = events;
		this.clock = clock;
	}

	/** Empties the cache and resets its counters. */
	void clear() {
		this.cache.clear();
		this.events.publishEvent(new CacheCleared(this.clock.instant()));
	}

	/**
	 * Removes the entry a key names.
	 * @param key 16 or 64 hex digits (either case)
	 * @return whether an entry was held
	 * @throws InvalidCacheKeyException for any other form
	 */
	boolean removeByKey(String key) {
		String hex = key.toLowerCase(Locale.ROOT);
		if (!KEY.matcher(hex).matches()) {
			throw new InvalidCacheKeyException("A cache key is the 16 hex digits of X-Cache-Key or the 64 of the "
					+ "full SHA-256; got " + describe(key));
		}
		List<CacheKey> keys = (hex.length() == 64) ? List.of(new CacheKey(hex, this.model.id()))
				: this.cache.keysByHeaderValue(hex, this.model.id());
		return remove(keys);
	}

	/**
	 * Removes the entry of a text.
	 * @param text the text, as a request would send it
	 * @return whether an entry was held
	 * @throws InvalidCacheKeyException when the text is blank
	 */
	boolean removeByText(String text) {
		CacheKey key = CacheKey.of(text, this.model.id());
		if (key.hash().equals(EMPTY_HASH)) {
			throw new InvalidCacheKeyException("text must not be empty or white space only");
		}
		return remove(List.of(key));
	}

	private boolean remove(List<CacheKey> keys) {
		boolean removed = false;
		for (CacheKey key : keys) {
			removed |= this.cache.remove(key);
		}
		if (!keys.isEmpty()) {
			// even when the cache held nothing: the job store may hold a result to warm
			// from
			this.events.publishEvent(new CacheEntriesRemoved(keys, this.clock.instant()));
		}
		return removed;
	}

	private static String describe(String key) {
		if (key.length() > 70) {
			return key.length() + " characters";
		}
		StringBuilder printable = new StringBuilder(key.length() + 2).append('\'');
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			printable.append((Character.isISOControl(c) || Character.isSurrogate(c)) ? '?' : c);
		}
		return printable.append('\'').toString();
	}

}
