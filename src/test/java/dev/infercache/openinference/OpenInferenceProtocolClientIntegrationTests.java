package dev.infercache.openinference;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that knows only the Open Inference Protocol's REST specification
 * (kserve/kserve, {@code docs/predict-api/v2/required_api.md}) and the model name it was
 * given ({@code sentiment}): it discovers the model's input and outputs from its
 * metadata, sends the specification's own example request (adapted to the input the
 * metadata names) and the example itself, and reads every answer by the specification's
 * JSON objects ({@code $metadata_server_response}, {@code $metadata_model_response},
 * {@code $inference_response}, {@code $inference_error_response}). It uses plain
 * {@code java.net.http} and none of infercache's classes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenInferenceProtocolClientIntegrationTests {

	/** The model name the client is configured with. */
	private static final String MODEL = "sentiment";

	/**
	 * The specification's inference request example, verbatim: a model with two inputs
	 * and one output, which this server's model is not.
	 */
	private static final String SPEC_EXAMPLE_REQUEST = """
			{
			  "id" : "42",
			  "inputs" : [
			    {
			      "name" : "input0",
			      "shape" : [ 2, 2 ],
			      "datatype" : "UINT32",
			      "data" : [ 1, 2, 3, 4 ]
			    },
			    {
			      "name" : "input1",
			      "shape" : [ 3 ],
			      "datatype" : "BOOL",
			      "data" : [ true ]
			    }
			  ],
			  "outputs" : [
			    {
			      "name" : "output0"
			    }
			  ]
			}
			""";

	/**
	 * The same example with one input of two texts, named and typed as the model's
	 * metadata says (INPUT, DATATYPE and OUTPUT are replaced), asking for one output.
	 */
	private static final String EXAMPLE_REQUEST_FOR_TEXT = """
			{
			  "id" : "42",
			  "inputs" : [
			    {
			      "name" : "INPUT",
			      "shape" : [ 2 ],
			      "datatype" : "DATATYPE",
			      "data" : [ "I loved this movie, a great story", "a dull and tedious film" ]
			    }
			  ],
			  "outputs" : [
			    {
			      "name" : "OUTPUT"
			    }
			  ]
			}
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	JsonNode modelMetadata;

	@BeforeEach
	void readModelMetadata() {
		HttpResponse<String> response = get("/v2/models/" + MODEL);
		assertThat(response.statusCode()).isEqualTo(200);
		this.modelMetadata = JSON.readTree(response.body());
	}

	@Test
	void serverMetadataAndHealth() {
		HttpResponse<String> server = get("/v2");
		assertThat(server.statusCode()).isEqualTo(200);
		JsonNode metadata = JSON.readTree(server.body());
		// $metadata_server_response = { "name" : $string, "version" : $string,
		// "extensions" : [ $string, ... ] }
		assertThat(metadata.get("name").isString()).isTrue();
		assertThat(metadata.get("version").isString()).isTrue();
		assertThat(metadata.get("extensions").isArray()).isTrue();
		metadata.get("extensions").forEach((extension) -> assertThat(extension.isString()).isTrue());
		// "A 200 status code indicates true and a 4xx status code indicates false."
		assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
		assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
		assertThat(get("/v2/models/" + MODEL + "/ready").statusCode()).isEqualTo(200);
	}

	@Test
	void modelMetadataHasTheSpecificationsFields() {
		// $metadata_model_response = { "name" : $string, "versions" : [ $string, ... ]
		// #optional,
		// "platform" : $string, "inputs" : [ $metadata_tensor, ... ], "outputs" : [
		// $metadata_tensor, ... ] }
		assertThat(this.modelMetadata.get("name").isString()).isTrue();
		assertThat(this.modelMetadata.get("platform").isString()).isTrue();
		this.modelMetadata.get("versions").forEach((version) -> assertThat(version.isString()).isTrue());
		for (String tensors : List.of("inputs", "outputs")) {
			assertThat(this.modelMetadata.get(tensors).isArray()).isTrue();
			assertThat(this.modelMetadata.get(tensors)).isNotEmpty();
			// $metadata_tensor = { "name" : $string, "datatype" : $string, "shape" : [
			// $number, ... ] }
			this.modelMetadata.get(tensors).forEach((tensor) -> {
				assertThat(tensor.get("name").isString()).isTrue();
				assertThat(tensor.get("datatype").isString()).isTrue();
				tensor.get("shape").forEach((dimension) -> assertThat(dimension.isIntegralNumber()).isTrue());
			});
		}
	}

	@Test
	void theExampleRequestAdaptedToTheModelsInputIsAnswered() {
		JsonNode input = this.modelMetadata.get("inputs").get(0);
		JsonNode output = this.modelMetadata.get("outputs").get(0);
		String request = EXAMPLE_REQUEST_FOR_TEXT.replace("INPUT", input.get("name").stringValue())
			.replace("DATATYPE", input.get("datatype").stringValue())
			.replace("OUTPUT", output.get("name").stringValue());

		HttpResponse<String> response = post("/v2/models/" + MODEL + "/infer", request);

		// "A successful inference request is indicated by a 200 HTTP status code."
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode answer = JSON.readTree(response.body());
		// $inference_response = { "model_name" : $string, "model_version" : $string
		// #optional,
		// "id" : $string, "parameters" : $parameters #optional, "outputs" : [
		// $response_output, ... ] }
		assertThat(answer.get("model_name").isString()).isTrue();
		assertThat(answer.get("id").stringValue()).isEqualTo("42");
		// "For the above request the inference server must return the "output0" output
		// tensor."
		assertThat(answer.get("outputs")).hasSize(1);
		JsonNode tensor = answer.get("outputs").get(0);
		assertThat(tensor.get("name").stringValue()).isEqualTo(output.get("name").stringValue());
		assertThat(tensor.get("datatype").stringValue()).isEqualTo(output.get("datatype").stringValue());
		assertThat(tensor.get("shape").get(0).intValue()).isEqualTo(2);
		assertThat(tensor.get("data")).hasSize(elements(tensor.get("shape")));
	}

	@Test
	void everyOutputOfTheMetadataIsAnsweredWhenNoneIsAsked() {
		JsonNode input = this.modelMetadata.get("inputs").get(0);
		ObjectNode request = (ObjectNode) JSON
			.readTree(EXAMPLE_REQUEST_FOR_TEXT.replace("INPUT", input.get("name").stringValue())
				.replace("DATATYPE", input.get("datatype").stringValue()));
		request.remove("outputs");

		HttpResponse<String> response = post("/v2/models/" + MODEL + "/infer", request.toString());

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode outputs = JSON.readTree(response.body()).get("outputs");
		List<String> names = new ArrayList<>();
		outputs.forEach((tensor) -> {
			names.add(tensor.get("name").stringValue());
			// "If the output is batched, the shape and data represents the full shape of
			// the entire batch."
			assertThat(tensor.get("shape").get(0).intValue()).isEqualTo(2);
			assertThat(tensor.get("data")).hasSize(elements(tensor.get("shape")));
		});
		List<String> declared = new ArrayList<>();
		this.modelMetadata.get("outputs").forEach((tensor) -> declared.add(tensor.get("name").stringValue()));
		assertThat(names).containsExactlyElementsOf(declared);
	}

	@Test
	void tensorDataInItsNaturalShapeMeansTheSameAsFlattened() {
		// "Tensor elements may be presented in their nature multi-dimensional
		// representation, or as a
		// flattened one-dimensional representation."
		JsonNode input = this.modelMetadata.get("inputs").get(0);
		String flat = EXAMPLE_REQUEST_FOR_TEXT.replace("INPUT", input.get("name").stringValue())
			.replace("DATATYPE", input.get("datatype").stringValue())
			.replace("OUTPUT", this.modelMetadata.get("outputs").get(0).get("name").stringValue());
		String natural = flat.replace("\"shape\" : [ 2 ]", "\"shape\" : [ 2, 1 ]")
			.replace("[ \"I loved this movie, a great story\", \"a dull and tedious film\" ]",
					"[ [ \"I loved this movie, a great story\" ], [ \"a dull and tedious film\" ] ]");
		assertThat(natural).isNotEqualTo(flat);

		JsonNode flatAnswer = JSON.readTree(post("/v2/models/" + MODEL + "/infer", flat).body());
		HttpResponse<String> naturalResponse = post("/v2/models/" + MODEL + "/infer", natural);

		assertThat(naturalResponse.statusCode()).as(naturalResponse.body()).isEqualTo(200);
		assertThat(JSON.readTree(naturalResponse.body()).get("outputs").get(0).get("data"))
			.isEqualTo(flatAnswer.get("outputs").get(0).get("data"));
	}

	@Test
	void theSpecificationsOwnExampleIsAFailedRequestWithAnErrorObject() {
		HttpResponse<String> response = post("/v2/models/" + MODEL + "/infer", SPEC_EXAMPLE_REQUEST);

		// "A failed inference request must be indicated by an HTTP error status
		// (typically 400).
		// The HTTP body must contain the $inference_error_response object."
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = JSON.readTree(response.body());
		// $inference_error_response = { "error": <error message string> }
		assertThat(error.get("error").isString()).isTrue();
		assertThat(error.get("error").stringValue()).isNotBlank();
	}

	@Test
	void metadataOfAModelTheServerDoesNotHaveIsAnErrorObject() {
		HttpResponse<String> response = get("/v2/models/mymodel");

		// $metadata_model_error_response = { "error": $string }
		assertThat(response.statusCode()).isBetween(400, 499);
		assertThat(JSON.readTree(response.body()).get("error").isString()).isTrue();
	}

	private static int elements(JsonNode shape) {
		int elements = 1;
		for (JsonNode dimension : shape) {
			elements *= dimension.intValue();
		}
		return elements;
	}

	private HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET().build());
	}

	private HttpResponse<String> post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
