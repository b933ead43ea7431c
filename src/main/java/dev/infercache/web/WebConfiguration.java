package dev.infercache.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Adds the security headers, caps request bodies at the {@link BodyLimit}s the features
 * contribute, puts the admin token in front of the admin endpoints, and refuses to start
 * the {@code prod} profile without one. It enables the properties the web layer reads, so
 * that MVC slice tests, which do not scan for configuration properties, get them too.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
class WebConfiguration implements WebMvcConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(WebConfiguration.class);

	private final AdminProperties admin;

	WebConfiguration(AdminProperties admin, Environment environment) {
		this.admin = admin;
		if (!admin.protectedByToken()) {
			if (environment.matchesProfiles("prod")) {
				throw new IllegalStateException("The prod profile needs an admin token: set infercache.admin.token "
						+ "(environment variable INFERCACHE_ADMIN_TOKEN)");
			}
			logger.warn("No admin token set (infercache.admin.token / INFERCACHE_ADMIN_TOKEN): "
					+ "anyone who reaches this service can clear its cache");
		}
	}

	/** First of all filters, so that even a rejected body gets the headers. */
	@Bean
	FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter() {
		FilterRegistrationBean<SecurityHeadersFilter> registration = new FilterRegistrationBean<>(
				new SecurityHeadersFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Right after the headers, so that every later filter and handler logs with the
	 * request id.
	 */
	@Bean
	FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
		FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		return registration;
	}

	@Bean
	FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(ObjectProvider<BodyLimit> limits) {
		FilterRegistrationBean<BodySizeLimitFilter> registration = new FilterRegistrationBean<>(
				new BodySizeLimitFilter(limits.orderedStream().toList()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		String token = this.admin.token();
		if (token != null && this.admin.protectedByToken()) {
			// every /cache endpoint but the public stats: DELETE /cache, /cache/{key},
			// /cache/warm...
			registry.addInterceptor(new AdminTokenInterceptor(token))
				.addPathPatterns("/cache", "/cache/**")
				.excludePathPatterns("/cache/stats");
		}
	}

}
