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
		// No code path may reach the network: DJL's tokenizer would otherwise "call home"
		// (an EC2
		// metadata probe and a telemetry URL) on first use. The model classes set the
		// same.
		if (System.getProperty("OPT_OUT_TRACKING") == null) {
			System.setProperty("OPT_OUT_TRACKING", "true");
		}
		SpringApplication.run(InfercacheApplication.class, args);
	}

}
