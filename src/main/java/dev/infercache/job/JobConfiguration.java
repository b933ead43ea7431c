package dev.infercache.job;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The bounded worker pool. Its queue has a hard limit: a job that does not fit is rejected at
 * once, and the request that wanted it gets 503 with {@code Retry-After}, so overload never
 * becomes an unbounded backlog in memory.
 *
 * <p>
 * The pool is a plain {@link ThreadPoolExecutor} rather than Spring's
 * {@code ThreadPoolTaskExecutor} because its shutdown must be ours: Spring's either runs every
 * queued task before stopping ({@code waitForTasksToCompleteOnShutdown}) or interrupts the
 * running ones. {@link JobShutdown} instead lets running jobs finish and leaves queued ones in the
 * database for the next start. {@code @Async} adapts the pool and turns a rejection into
 * {@code TaskRejectedException}, as before.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
@EnableScheduling
class JobConfiguration {

	static final String EXECUTOR = "jobExecutor";

	/**
	 * The pool. Its destroy method is a last resort: {@link JobShutdown} has stopped it already
	 * when the context closed.
	 */
	@Bean(name = EXECUTOR, destroyMethod = "shutdownNow")
	ThreadPoolExecutor jobExecutor(JobProperties properties) {
		BlockingQueue<Runnable> queue = (properties.queueCapacity() > 0)
				? new LinkedBlockingQueue<>(properties.queueCapacity()) : new SynchronousQueue<>();
		return new ThreadPoolExecutor(properties.threads(), properties.threads(), 0, TimeUnit.MILLISECONDS, queue,
				new CustomizableThreadFactory("infercache-worker-"), new ThreadPoolExecutor.AbortPolicy());
	}

	/**
	 * {@code infercache.jobs.queue.depth}, {@code infercache.jobs.queue.capacity} and
	 * {@code infercache.jobs.running}: how close the pool is to answering 503.
	 */
	@Bean
	MeterBinder jobPoolMetrics(@Qualifier(EXECUTOR) ThreadPoolExecutor executor, JobProperties properties) {
		return (registry) -> {
			Gauge.builder("infercache.jobs.queue.depth", executor, (pool) -> pool.getQueue().size())
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
