package dev.infercache.predict;

/**
 * Makes client-supplied text safe to quote in an error message or a log line.
 */
final class Problems {

	private Problems() {
	}

	/**
	 * The value, shortened, with control characters replaced by {@code ?}, so a quoted
	 * value can neither forge log lines nor flood a response.
	 * @param value any text
	 * @param maxLength the most characters kept
	 * @return a printable, bounded copy
	 */
	static String printable(String value, int maxLength) {
		String shortened = (value.length() > maxLength) ? value.substring(0, maxLength) + "…" : value;
		StringBuilder printable = new StringBuilder(shortened.length());
		for (int i = 0; i < shortened.length(); i++) {
			char c = shortened.charAt(i);
			printable.append((Character.isISOControl(c) || Character.isSurrogate(c)) ? '?' : c);
		}
		return printable.toString();
	}

}
