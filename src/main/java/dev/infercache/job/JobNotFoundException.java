package dev.infercache.job;

/**
 * No job has the requested id (or the id is not a UUID at all).
 */
public class JobNotFoundException extends RuntimeException {

	public JobNotFoundException(String id) {
		super("No job with id '" + id + "'");
	}

}
