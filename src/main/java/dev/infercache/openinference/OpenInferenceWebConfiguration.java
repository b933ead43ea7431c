package dev.infercache.openinference;

import dev.infercache.predict.PredictProperties;
import dev.infercache.web.BodyLimit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The v2 {@code infer} routes take as many texts as {@code POST /predict/batch}, and so
 * its body limit.
 */
@Configuration(proxyBeanMethods = false)
class OpenInferenceWebConfiguration {

	@Bean
	BodyLimit inferBodyLimit(PredictProperties properties) {
		return BodyLimit.forRoutes((request) -> isInfer(request.getRequestURI()), properties.maxBatchBodySize(),
				PredictProperties.MAX_BATCH_BODY_SIZE);
	}

	/** {@code /v2/models/{name}[/versions/{version}]/infer}. */
	private static boolean isInfer(String uri) {
		return uri.startsWith("/v2/models/") && uri.endsWith("/infer");
	}

}
