package dev.infercache;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The test doubles a test context imports to steer the application: {@link Model} puts a
 * {@link ScriptedModel} in front of the configured model, {@link Clock} a
 * {@link MutableClock} in front of the system clock. The test autowires them to hold,
 * release and count inferences, or to move time.
 */
public final class ScriptedBeans {

	private ScriptedBeans() {
	}

	/**
	 * A fresh {@link ScriptedModel}, or the one {@link ScriptedApplication} registers
	 * under {@link #GIVEN}, so that a test keeps its model across a restart.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Model {

		static final String GIVEN = "givenScriptedModel";

		@Bean
		@Primary
		ScriptedModel scriptedModel(BeanFactory beans) {
			return beans.containsBean(GIVEN) ? beans.getBean(GIVEN, ScriptedModel.class) : new ScriptedModel();
		}

	}

	/** A {@link MutableClock} at {@link MutableClock#start()}'s instant. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Clock {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return MutableClock.start();
		}

	}

}
