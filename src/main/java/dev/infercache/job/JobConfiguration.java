package dev.infercache.job;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The bounded worker pool. Its queue has a hard limit: a job that does not fit is rejected at
 * once, and the request that wanted it gets 503 with {@code Retry-After}, so overload never
 * becomes an unbounded backlog in memory.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
@EnableScheduling
class JobConfiguration {

	static final String EXECUTOR = "jobExecutor";

	@Bean(EXECUTOR)
	ThreadPoolTaskExecutor jobExecutor(JobProperties properties) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(properties.threads());
		executor.setMaxPoolSize(properties.threads());
		executor.setQueueCapacity(properties.queueCapacity());
		executor.setThreadNamePrefix("infercache-worker-");
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationMillis(properties.shutdownGrace().toMillis());
		return executor;
	}

}
