package dev.infercache;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the whole application outside the test context cache, with a
 * {@link ScriptedModel} the test keeps a reference to (so it can hold, release and count
 * it across a restart).
 */
public final class ScriptedApplication {

	private ScriptedApplication() {
	}

	/**
	 * Starts the application.
	 * @param model the model every job runs on
	 * @param profiles the profiles to activate (none: the default)
	 * @param args command-line arguments, e.g. {@code --server.port=0}
	 * @return the running context; the caller closes it
	 */
	public static ConfigurableApplicationContext start(ScriptedModel model, String[] profiles, String... args) {
		return new SpringApplicationBuilder(InfercacheApplication.class, ScriptedBeans.Model.class).profiles(profiles)
			.initializers((context) -> context.getBeanFactory().registerSingleton(ScriptedBeans.Model.GIVEN, model))
			.run(args);
	}

}
