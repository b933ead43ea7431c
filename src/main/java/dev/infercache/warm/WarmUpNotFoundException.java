package dev.infercache.warm;

import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * No warm-up has the id asked for (404): it never existed, or it ended longer ago than
 * {@code infercache.jobs.retention}.
 */
public class WarmUpNotFoundException extends ProblemException {

	WarmUpNotFoundException(String id) {
		super(HttpStatus.NOT_FOUND,
				"No warm-up with id " + ((id.length() <= 36) ? id.replaceAll("[^0-9A-Za-z-]", "?") : "of that length"));
	}

}
