import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Removes from ONNX Runtime's and DJL's tokenizer jars every native library but the one platform
 * an image runs on, and the macOS debug symbols (dSYM): about 150 MB the image never loads. The
 * jars in the Maven build keep every platform, so `./mvnw spring-boot:run` works on any machine.
 *
 * Usage: java scripts/StripNatives.java <directory of jars> <amd64|arm64>
 * (used by the Dockerfile and scripts/bench-startup.sh; prints what it removed).
 */
public class StripNatives {

	/** Native directories of each jar, by the image's architecture: the one to keep. */
	private static final Map<String, List<String>> KEEP = Map.of(
			"amd64", List.of("ai/onnxruntime/native/linux-x64/", "native/lib/linux-x86_64/"),
			"arm64", List.of("ai/onnxruntime/native/linux-aarch64/", "native/lib/linux-aarch64/"));

	private static final List<String> NATIVE_ROOTS = List.of("ai/onnxruntime/native/", "native/lib/");

	public static void main(String[] args) throws IOException {
		if (args.length != 2 || !KEEP.containsKey(args[1])) {
			throw new IllegalArgumentException("usage: StripNatives <directory of jars> <amd64|arm64>");
		}
		List<String> keep = KEEP.get(args[1]);
		try (Stream<Path> jars = Files.walk(Path.of(args[0]))) {
			for (Path jar : jars.filter((p) -> p.getFileName().toString().matches("(onnxruntime|tokenizers)-.*\\.jar"))
				.toList()) {
				strip(jar, keep);
			}
		}
	}

	private static void strip(Path jar, List<String> keep) throws IOException {
		long before = Files.size(jar);
		try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
			for (String root : NATIVE_ROOTS) {
				Path dir = zip.getPath("/" + root);
				if (!Files.isDirectory(dir)) {
					continue;
				}
				try (Stream<Path> platforms = Files.list(dir)) {
					for (Path platform : platforms.toList()) {
						String name = platform.toString().replaceAll("^/+|/+$", "") + "/";
						// platform directories only: files beside them (tokenizers.properties) are read on every platform
						if (Files.isDirectory(platform) && keep.stream().noneMatch(name::startsWith)) {
							delete(platform);
						}
					}
				}
			}
			// debug symbols of the kept platform too, should a future release ship them for Linux
			try (Stream<Path> all = Files.walk(zip.getPath("/"))) {
				for (Path dsym : all.filter((p) -> p.toString().endsWith(".dSYM/") || p.toString().endsWith(".dSYM"))
					.toList()) {
					delete(dsym);
				}
			}
		}
		System.out.printf("%s: %.1f MB -> %.1f MB%n", jar.getFileName(), before / 1e6, Files.size(jar) / 1e6);
	}

	private static void delete(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> tree = Files.walk(path)) {
			for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

}
