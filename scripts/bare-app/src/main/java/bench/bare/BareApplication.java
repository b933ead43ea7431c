package bench.bare;

import java.util.Map;
import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a new user's first Spring Boot MVC service looks like: the actuator and one POST endpoint
 * that binds the request's JSON body and answers a constant JSON body shaped like infercache's
 * cache hit. The start-up and hit-path benchmarks report infercache against it.
 */
@SpringBootApplication
@RestController
public class BareApplication {

	private static final Answer ANSWER = new Answer(UUID.fromString("00000000-0000-0000-0000-000000000000"),
			"completed", Map.of("sentiment", "positive", "confidence", 0.95), true);

	public static void main(String[] args) {
		SpringApplication.run(BareApplication.class, args);
	}

	@PostMapping("/predict")
	Answer predict(@RequestBody Request request) {
		return ANSWER;
	}

	record Request(String text) {
	}

	record Answer(UUID jobId, String status, Map<String, Object> result, boolean cached) {
	}

}
