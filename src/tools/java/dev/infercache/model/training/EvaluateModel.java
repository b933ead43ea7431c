package dev.infercache.model.training;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.infercache.model.BgeSentimentModel;
import dev.infercache.model.ModelProperties;
import dev.infercache.model.Prediction;

/**
 * Evaluates the bge sentiment model, as the service runs it, on a labelled TSV file (one
 * header line, then {@code label<TAB>text}, 1 = positive): accuracy and macro-F1 of
 * {@code P(positive) >= 0.5}, both in batches (in file order) and one text per call (the
 * two differ a little, see {@code docs/MODEL.md}), how many answers the neutral band
 * turns into {@code neutral} and the accuracy of the others, latency (single-text
 * p50/p99) and throughput (batched).
 *
 * <pre>
 * ./mvnw -q -Ptools test-compile exec:java -Dexec.mainClass=dev.infercache.model.training.EvaluateModel \
 *   -Dexec.args="--data ../shared/data/sst2/dev.tsv"
 * </pre>
 *
 * <p>
 * Options: {@code --batch 32} (batch size), {@code --intra-op-threads 0},
 * {@code --neutral-band 0.1}, {@code --max-tokens 512}.
 */
public final class EvaluateModel {

	private EvaluateModel() {
	}

	public static void main(String[] args) throws IOException {
		Map<String, String> options = TrainSentimentHead.options(args, "--data");
		int batch = Integer.parseInt(options.getOrDefault("--batch", "32"));
		ModelProperties properties = new ModelProperties(ModelProperties.Type.BGE, null, Duration.ZERO, batch,
				Duration.ofMillis(5), Integer.parseInt(options.getOrDefault("--intra-op-threads", "0")),
				Double.parseDouble(options.getOrDefault("--neutral-band", "0.1")),
				Integer.parseInt(options.getOrDefault("--max-tokens", "512")), 0);
		LabelledTexts data = LabelledTexts.read(Path.of(options.get("--data")));

		long loadStart = System.nanoTime();
		try (BgeSentimentModel model = BgeSentimentModel.load(properties)) {
			System.out.printf("model %s loaded and warmed up in %.2f s%n", model.id(),
					(System.nanoTime() - loadStart) / 1e9);

			long batchStart = System.nanoTime();
			List<Prediction> predictions = new ArrayList<>(data.size());
			for (int from = 0; from < data.size(); from += batch) {
				predictions.addAll(model.predictAll(data.texts().subList(from, Math.min(data.size(), from + batch))));
			}
			double batchSeconds = (System.nanoTime() - batchStart) / 1e9;

			double[] probabilities = new double[data.size()];
			int neutral = 0;
			int answered = 0;
			int answeredRight = 0;
			for (int i = 0; i < data.size(); i++) {
				Prediction prediction = predictions.get(i);
				probabilities[i] = prediction.labelScores().get("positive");
				if (prediction.label().equals("neutral")) {
					neutral++;
				}
				else {
					answered++;
					answeredRight += (prediction.label().equals("positive") == data.positive()[i]) ? 1 : 0;
				}
			}
			BinaryScores scores = BinaryScores.of(probabilities, data.positive());
			System.out.printf("data %s (sha256 %s): %d texts, %d positive%n", data.path(), data.sha256(), data.size(),
					data.positives());
			System.out.printf(
					"binary (P(positive) >= 0.5), batches of %d: accuracy=%.4f macro-F1=%.4f log-loss=%.4f ECE=%.4f%n",
					batch, scores.accuracy(), scores.macroF1(), scores.logLoss(), scores.expectedCalibrationError());
			System.out.printf("with neutral band %.2f: %d neutral (%.1f%%), accuracy of the other %d answers=%.4f%n",
					properties.neutralBand(), neutral, 100.0 * neutral / data.size(), answered,
					(answered == 0) ? 0 : (double) answeredRight / answered);
			System.out.printf("throughput, predictAll in batches of %d: %.1f texts/s (%.2f s for %d texts)%n", batch,
					data.size() / batchSeconds, batchSeconds, data.size());
			System.out.printf("truncated texts: %d%n", model.truncatedTexts());

			// One text per call, as the service runs with max-batch=1 (and as a lone
			// request runs).
			long[] nanos = new long[data.size()];
			double[] singleProbabilities = new double[data.size()];
			int differences = 0;
			double largestShift = 0;
			for (int i = 0; i < data.size(); i++) {
				long start = System.nanoTime();
				Prediction single = model.predict(data.texts().get(i));
				nanos[i] = System.nanoTime() - start;
				singleProbabilities[i] = single.labelScores().get("positive");
				differences += (singleProbabilities[i] >= 0.5) != (probabilities[i] >= 0.5) ? 1 : 0;
				largestShift = Math.max(largestShift, Math.abs(singleProbabilities[i] - probabilities[i]));
			}
			BinaryScores singleScores = BinaryScores.of(singleProbabilities, data.positive());
			System.out.printf("binary, one text per call: accuracy=%.4f macro-F1=%.4f log-loss=%.4f ECE=%.4f%n",
					singleScores.accuracy(), singleScores.macroF1(), singleScores.logLoss(),
					singleScores.expectedCalibrationError());
			System.out.printf("batched vs one text per call: %d binary labels differ, largest |dP(positive)|=%.4f%n",
					differences, largestShift);
			Arrays.sort(nanos);
			System.out.printf("latency, single-text predict over all %d texts: p50=%.2f ms p99=%.2f ms%n", data.size(),
					percentile(nanos, 0.50) / 1e6, percentile(nanos, 0.99) / 1e6);
		}
	}

	static double percentile(long[] sorted, double quantile) {
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}
