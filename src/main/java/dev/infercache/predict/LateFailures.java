package dev.infercache.predict;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Answers a request that {@link Outcomes#answerLater} dispatched with a failure: the
 * failure is thrown before the handler's arguments are resolved (its body has been read
 * already), so the error handlers of that handler's controller answer it, as if the
 * handler had thrown it.
 */
@Configuration(proxyBeanMethods = false)
class LateFailures implements WebMvcConfigurer, HandlerInterceptor {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this);
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		Outcomes.rethrowFailure(request);
		return true;
	}

}
