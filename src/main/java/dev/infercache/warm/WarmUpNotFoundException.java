package dev.infercache.warm;

/**
 * No warm-up has the id asked for (404): it never existed, or it ended longer ago than
 * {@code infercache.jobs.retention}.
 */
public class WarmUpNotFoundException extends RuntimeException {

	WarmUpNotFoundException(String id) {
		super("No warm-up with id " + ((id.length() <= 36) ? id.replaceAll("[^0-9A-Za-z-]", "?") : "of that length"));
	}

}
