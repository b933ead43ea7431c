package dev.infercache.job;

import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * No job has the requested id (or the id is not a UUID at all): 404.
 */
public class JobNotFoundException extends ProblemException {

	public JobNotFoundException(String id) {
		super(HttpStatus.NOT_FOUND, "No job with id '" + id + "'");
	}

}
