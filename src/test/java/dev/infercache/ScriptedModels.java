package dev.infercache;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A fresh {@link ScriptedModel} in front of the configured model, for a test context to
 * {@code @Import}: the test autowires it to hold, release and count inferences.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ScriptedModels {

	@Bean
	@Primary
	ScriptedModel scriptedModel() {
		return new ScriptedModel();
	}

}
