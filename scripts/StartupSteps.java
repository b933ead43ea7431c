import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

/**
 * Where start-up goes, by Spring's ApplicationStartup: runs the application class named by the
 * first argument with a BufferingApplicationStartup, closes it once started, and prints the steps
 * that took longest by their own time (a step's duration minus its children's), then totals per
 * step name. Run on an extracted jar (scripts/bench-startup.sh does):
 *   java -cp extracted/infercache-*.jar scripts/StartupSteps.java dev.infercache.InfercacheApplication [args]
 */
public class StartupSteps {

	public static void main(String[] args) throws Exception {
		Class<?> main = Class.forName(args[0]);
		SpringApplication application = new SpringApplication(main);
		BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
		application.setApplicationStartup(startup);
		long start = System.nanoTime();
		ConfigurableApplicationContext context = application.run(java.util.Arrays.copyOfRange(args, 1, args.length));
		long total = (System.nanoTime() - start) / 1_000_000;
		List<TimelineEvent> events = startup.getBufferedTimeline().getEvents();
		Map<Long, Long> childNanos = new HashMap<>();
		for (TimelineEvent event : events) {
			Long parent = event.getStartupStep().getParentId();
			if (parent != null) {
				childNanos.merge(parent, event.getDuration().toNanos(), Long::sum);
			}
		}
		record Step(String name, String what, long selfMs, long totalMs) {
		}
		List<Step> steps = new ArrayList<>();
		Map<String, long[]> byName = new HashMap<>();
		for (TimelineEvent event : events) {
			StartupStep step = event.getStartupStep();
			long self = event.getDuration().toNanos() - childNanos.getOrDefault(step.getId(), 0L);
			StringBuilder what = new StringBuilder();
			for (StartupStep.Tag tag : step.getTags()) {
				if (tag.getKey().equals("beanName") || tag.getKey().equals("postProcessor")
						|| tag.getKey().equals("listener") || tag.getKey().equals("event")) {
					what.append(tag.getValue()).append(' ');
				}
			}
			steps.add(new Step(step.getName(), what.toString().trim(), self / 1_000_000, event.getDuration().toMillis()));
			byName.computeIfAbsent(step.getName(), (k) -> new long[2])[0] += self / 1_000_000;
			byName.get(step.getName())[1]++;
		}
		System.out.printf("%nstarted in %d ms (SpringApplication.run), %d steps recorded%n", total, events.size());
		System.out.println("own time (ms) | total (ms) | step | bean or listener");
		steps.stream().sorted(Comparator.comparingLong(Step::selfMs).reversed()).limit(30)
			.forEach((s) -> System.out.printf("%6d | %6d | %s | %s%n", s.selfMs(), s.totalMs(), s.name(), s.what()));
		System.out.println("\nown time by step name (ms, count):");
		byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(12)
			.forEach((e) -> System.out.printf("%6d  %5d  %s%n", e.getValue()[0], e.getValue()[1], e.getKey()));
		context.close();
	}

}
