package dev.infercache.warm;

import dev.infercache.cache.CacheProperties;
import dev.infercache.web.BodyLimit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A warm-up's upload of up to {@code infercache.cache.warm-max-texts} texts has a body
 * limit of its own.
 */
@Configuration(proxyBeanMethods = false)
class WarmUpWebConfiguration {

	@Bean
	BodyLimit warmUpBodyLimit(CacheProperties properties) {
		return BodyLimit.forRoutes(
				(request) -> WarmUpController.PATH.equals(request.getRequestURI())
						&& "POST".equals(request.getMethod()),
				properties.warmMaxBodySize().toBytes(), "infercache.cache.warm-max-body-size");
	}

}
