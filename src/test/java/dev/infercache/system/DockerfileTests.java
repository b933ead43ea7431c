package dev.infercache.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile's structure, checked without a Docker engine: a build stage, a layer
 * stage that keeps only the target platform's natives, a JRE runtime stage that copies
 * the jar's layers in order as a non-root user, makes a CDS archive in a training run and
 * starts from it, with a HEALTHCHECK on readiness. scripts/bench-startup.sh runs the same
 * RUN and ENTRYPOINT lines outside Docker, so their one-line form is part of what is
 * checked.
 */
class DockerfileTests {

	private static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "model",
			"snapshot-dependencies", "application");

	private final List<String> lines = instructions(Path.of("Dockerfile"));

	@Test
	void buildsInStagesAndRunsOnAJre() {
		List<String> from = starting("FROM ");
		assertThat(from).hasSize(3);
		assertThat(from.get(0)).contains("-jdk").endsWith("AS build");
		assertThat(from.get(1)).contains("-jdk").endsWith("AS layers");
		assertThat(from.get(2)).isEqualTo("FROM eclipse-temurin:17-jre");
		assertThat(starting("ARG ")).contains("ARG TARGETARCH");
		assertThat(this.lines).anyMatch((l) -> l.startsWith("RUN /tools/image-layers.sh") && l.contains("TARGETARCH"));
	}

	@Test
	void copiesTheJarsLayersInOrderIntoTheRuntimeStage() throws IOException {
		List<String> copied = new ArrayList<>();
		Pattern copy = Pattern
			.compile("COPY --from=layers --chown=infercache:infercache /layers/extracted/([a-z-]+)/ \\./");
		for (String line : starting("COPY --from=layers")) {
			Matcher matcher = copy.matcher(line);
			assertThat(matcher.matches()).as(line).isTrue();
			copied.add(matcher.group(1));
		}
		assertThat(copied).isEqualTo(LAYERS);
		String layersXml = Files.readString(Path.of("src/layers.xml"));
		Matcher layer = Pattern.compile("<layer>([a-z-]+)</layer>").matcher(layersXml);
		List<String> declared = new ArrayList<>();
		while (layer.find()) {
			declared.add(layer.group(1));
		}
		assertThat(declared).isEqualTo(LAYERS);
	}

	@Test
	void runsAsANonRootUser() {
		List<String> users = starting("USER ");
		assertThat(users).hasSize(1);
		String user = users.get(0).substring("USER ".length()).split(":")[0];
		assertThat(user).isNotIn("0", "root");
		assertThat(Integer.parseInt(user)).isPositive();
		int userAt = this.lines.indexOf(users.get(0));
		int trainingAt = this.lines.indexOf(starting("RUN java -XX:ArchiveClassesAtExit").get(0));
		assertThat(userAt).as("the CDS archive is made by the user that runs it").isLessThan(trainingAt);
	}

	@Test
	void startsFromTheCdsArchiveItsTrainingRunMade() {
		List<String> training = starting("RUN java -XX:ArchiveClassesAtExit=");
		assertThat(training).hasSize(1);
		assertThat(training.get(0)).contains("-XX:ArchiveClassesAtExit=infercache.jsa")
			.contains("-Dspring.context.exit=onRefresh")
			.contains("-jar infercache.jar");
		assertThat(starting("ENTRYPOINT ")).containsExactly(
				"ENTRYPOINT [\"java\", \"-XX:SharedArchiveFile=infercache.jsa\", \"-jar\", \"infercache.jar\"]");
	}

	@Test
	void checksItsHealthOnTheReadinessProbe() {
		List<String> healthchecks = starting("HEALTHCHECK ");
		assertThat(healthchecks).hasSize(1);
		assertThat(healthchecks.get(0)).contains("CMD [\"bash\"").contains("/actuator/health/readiness");
	}

	private List<String> starting(String prefix) {
		return this.lines.stream().filter((line) -> line.startsWith(prefix)).toList();
	}

	/** Instructions, one per entry, continuation lines joined and comments dropped. */
	private static List<String> instructions(Path dockerfile) {
		List<String> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		try {
			for (String line : Files.readAllLines(dockerfile)) {
				String trimmed = line.strip();
				if (trimmed.startsWith("#") || trimmed.isEmpty()) {
					continue;
				}
				if (trimmed.endsWith("\\")) {
					current.append(trimmed, 0, trimmed.length() - 1).append(' ');
					continue;
				}
				instructions.add(current.append(trimmed).toString());
				current.setLength(0);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return instructions;
	}

}
