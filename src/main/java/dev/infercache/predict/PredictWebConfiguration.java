package dev.infercache.predict;

import dev.infercache.web.BodyLimit;
import dev.infercache.web.OverloadRetryAfter;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What the web layer takes from {@link PredictProperties}: the body limit of every route
 * and the larger one of {@code POST /predict/batch}, and the {@code Retry-After} of a
 * 503. A {@link WebMvcConfigurer} so that MVC slice tests, which pick up configurers but
 * no other configuration, get these and the properties too.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PredictProperties.class)
class PredictWebConfiguration implements WebMvcConfigurer {

	@Bean
	BodyLimit predictBodyLimit(PredictProperties properties) {
		return BodyLimit.everyRoute(properties.maxBodySize().toBytes(), "infercache.predict.max-body-size");
	}

	@Bean
	BodyLimit batchPredictBodyLimit(PredictProperties properties) {
		return BodyLimit.forRoutes((request) -> BatchPredictController.PATH.equals(request.getRequestURI()),
				properties.maxBatchBodySize(), PredictProperties.MAX_BATCH_BODY_SIZE);
	}

	@Bean
	OverloadRetryAfter overloadRetryAfter(PredictProperties properties) {
		return properties::overloadRetryAfter;
	}

}
