package dev.infercache.job;

import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.infercache.model.ModelProperties;
import dev.infercache.model.SentimentModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job engine's parts: the worker pool, the job table's writer and the coordinator
 * that {@code infercache.cluster.enabled} selects.
 *
 * <p>
 * The pool is a plain {@link ThreadPoolExecutor}: its bound is the room {@link JobWorker}
 * reserves before a job is written (threads plus {@code queue-capacity}), so its own
 * queue never refuses a job; and its shutdown is {@link JobShutdown}'s, which lets
 * running jobs finish and gives queued ones back, where Spring's executors would either
 * run them all or interrupt them.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class JobConfiguration {

	static final String EXECUTOR = "jobExecutor";

	/**
	 * Statements that take longer fail instead of holding a worker or the writer for
	 * ever.
	 */
	private static final int QUERY_TIMEOUT_SECONDS = 30;

	/**
	 * The pool. Its destroy method is a last resort: {@link JobShutdown} has stopped it
	 * already when the context closed.
	 */
	@Bean(name = EXECUTOR, destroyMethod = "shutdownNow")
	ThreadPoolExecutor jobExecutor(JobProperties properties, ModelProperties model) {
		int threads = properties.workerThreads(model.effectiveConcurrency());
		return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				new CustomizableThreadFactory("infercache-worker-"));
	}

	@Bean
	JobStore jobStore(DataSource dataSource, SentimentModel model) {
		JobStore.requireStorableLabels(model);
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
		return new JobStore(jdbc);
	}

	@Bean
	JobRepository jobRepository(JobStore store) {
		return new JobRepository(store);
	}

	/** The coordinator; closing it commits the job ends still queued for the writer. */
	@Bean(destroyMethod = "close")
	JobCoordinator jobCoordinator(ClusterProperties cluster, JobStore store, JobRepository repository,
			TransactionTemplate transactions, InFlightJobs inFlight, Clock clock,
			@Qualifier(EXECUTOR) ThreadPoolExecutor executor) {
		return cluster.enabled() ? new DatabaseJobCoordinator(store, repository, transactions, inFlight, cluster, clock)
				: new LocalJobCoordinator(store, repository, transactions, clock, () -> !executor.getQueue().isEmpty(),
						JobWriter.PACE);
	}

	/**
	 * In cluster mode, the heartbeat that renews this process's leases every
	 * {@code heartbeat}.
	 */
	@Bean
	SchedulingConfigurer clusterHeartbeat(JobCoordinator coordinator, ClusterProperties cluster) {
		return (registrar) -> {
			if (coordinator instanceof DatabaseJobCoordinator database) {
				registrar.addFixedDelayTask(
						new FixedDelayTask(database::heartbeat, cluster.heartbeat(), cluster.heartbeat()));
			}
		};
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
