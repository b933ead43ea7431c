package dev.infercache;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Starts the whole application outside the test context cache, with a {@link ScriptedModel} the
 * test keeps a reference to (so it can hold, release and count it across a restart).
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
		return new SpringApplicationBuilder(InfercacheApplication.class, Models.class).profiles(profiles)
			.initializers((context) -> context.getBeanFactory().registerSingleton(Models.INSTANCE, model))
			.run(args);
	}

	/** Puts the test's own model, registered by {@link #start}, in front of the configured one. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Models {

		static final String INSTANCE = "scriptedModelInstance";

		@Bean
		@Primary
		ScriptedModel scriptedModel(BeanFactory beans) {
			return beans.getBean(INSTANCE, ScriptedModel.class);
		}

	}

}
