package dev.infercache.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ModelId}'s wire form: {@link ModelId#parse} reads what
 * {@link ModelId#toString()} writes.
 */
class ModelIdTests {

	@Test
	void parseReadsWhatToStringWrites() {
		ModelId id = new ModelId("bge-small-en-v1.5+sst2-head", "sha256:0a1b");
		assertThat(id).hasToString("bge-small-en-v1.5+sst2-head@sha256:0a1b");
		assertThat(ModelId.parse(id.toString())).isEqualTo(id);
	}

	@Test
	void theFirstAtEndsTheNameAndTheVersionKeepsTheRest() {
		assertThat(ModelId.parse("keyword-rules@1@2")).isEqualTo(new ModelId("keyword-rules", "1@2"));
	}

	@Test
	void parseRejectsTextThatIsNotAnId() {
		assertThatIllegalArgumentException().isThrownBy(() -> ModelId.parse("keyword-rules"))
			.withMessage("invalid model id: keyword-rules");
		assertThatIllegalArgumentException().isThrownBy(() -> ModelId.parse("@1"));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelId.parse("keyword-rules@"));
	}

}
