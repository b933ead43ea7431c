package dev.infercache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout rules of docs and README ("Where things are"): {@code web} holds only what
 * every route shares and so imports no feature package, and the service's classes hold no
 * tool (the training, evaluation and benchmark programs live in {@code src/tools}, built
 * only with {@code -Ptools}, and never reach {@code target/classes}, which is what the
 * jar packages).
 */
class LayoutTests {

	private static final Path WEB = Path.of("src/main/java/dev/infercache/web");

	private static final List<String> FEATURES = List.of("predict", "job", "cache", "model", "warm", "openinference");

	@Test
	void webImportsNoFeaturePackage() throws IOException {
		try (Stream<Path> sources = Files.list(WEB)) {
			List<Path> files = sources.filter((file) -> file.toString().endsWith(".java")).toList();
			assertThat(files).isNotEmpty();
			for (Path file : files) {
				for (String line : Files.readAllLines(file)) {
					for (String feature : FEATURES) {
						assertThat(line).as(file.toString())
							.doesNotStartWith("import dev.infercache." + feature + ".")
							.doesNotStartWith("import static dev.infercache." + feature + ".");
					}
				}
			}
		}
	}

	@Test
	void theServiceClassesHoldNoTool() throws IOException {
		Path classes = Path.of("target/classes/dev/infercache");
		assertThat(classes.resolve("InfercacheApplication.class")).exists();
		try (Stream<Path> all = Files.walk(classes)) {
			assertThat(all.filter((file) -> file.toString().endsWith(".class")).map(Path::toString))
				.noneMatch((file) -> file.contains("/model/training/"))
				.noneMatch((file) -> file.contains("CeilingController"))
				.noneMatch((file) -> file.contains("BenchmarkModel"));
		}
	}

}
