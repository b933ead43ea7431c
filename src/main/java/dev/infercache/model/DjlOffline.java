package dev.infercache.model;

/**
 * Keeps DJL's tokenizer off the network. Its factory otherwise "calls home" (it probes
 * the EC2 metadata address and a telemetry URL) and, on a platform its jar lacks a native
 * library for, downloads one. A model must never reach the network, so both are switched
 * off before the first tokenizer loads, unless the operator decided otherwise (a system
 * property or environment variable of the same name). The native library is still
 * extracted from the jar into {@code ~/.djl.ai} (or {@code DJL_CACHE_DIR}), which must be
 * writable.
 */
final class DjlOffline {

	private DjlOffline() {
	}

	static void ensure() {
		setIfAbsent("OPT_OUT_TRACKING", "true");
		setIfAbsent("ai.djl.offline", "true");
	}

	private static void setIfAbsent(String property, String value) {
		if (System.getProperty(property) == null && System.getenv(property) == null) {
			System.setProperty(property, value);
		}
	}

}
