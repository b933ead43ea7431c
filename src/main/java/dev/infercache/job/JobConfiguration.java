package dev.infercache.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Qualifier;
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

	/**
	 * {@code infercache.jobs.queue.depth}, {@code infercache.jobs.queue.capacity} and
	 * {@code infercache.jobs.running}: how close the pool is to answering 503.
	 */
	@Bean
	MeterBinder jobPoolMetrics(@Qualifier(EXECUTOR) ThreadPoolTaskExecutor executor, JobProperties properties) {
		return (registry) -> {
			Gauge.builder("infercache.jobs.queue.depth", executor, (pool) -> pool.getQueueSize())
				.description("Jobs waiting for a worker")
				.register(registry);
			Gauge.builder("infercache.jobs.queue.capacity", properties, JobProperties::queueCapacity)
				.description("Jobs that may wait for a worker before requests get 503")
				.register(registry);
			Gauge.builder("infercache.jobs.running", executor, (pool) -> pool.getActiveCount())
				.description("Jobs a worker is running now")
				.register(registry);
		};
	}

}
