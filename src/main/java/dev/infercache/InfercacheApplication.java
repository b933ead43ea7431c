package dev.infercache;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * infercache: sentiment predictions behind HTTP that never run the same inference twice.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class InfercacheApplication {

	public static void main(String[] args) {
		SpringApplication.run(InfercacheApplication.class, args);
	}

}
