package dev.infercache.web;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The HTTP benchmark's two ceilings (bench profile only) answer the same JSON, so that
 * the like-for-like one differs from the plain one only in how the body is written. A
 * tool's test: {@code ./mvnw -Ptools test -Dtest=CeilingControllerTests} (docs/TOOLS.md).
 */
@WebMvcTest(CeilingController.class)
@ActiveProfiles("bench")
class CeilingControllerTests {

	@Autowired
	MockMvc mvc;

	@Test
	void bothCeilingsAnswerTheSameBodyAndTheDirectOneSaysItsLength() throws Exception {
		MockHttpServletResponse plain = answer("/bench/ceiling");
		MockHttpServletResponse direct = answer("/bench/ceiling-direct");
		assertThat(plain.getStatus()).isEqualTo(200);
		assertThat(direct.getStatus()).isEqualTo(200);
		assertThat(direct.getContentAsString()).isEqualTo(plain.getContentAsString())
			.contains("\"job_id\"", "\"cached\":true");
		assertThat(direct.getContentType()).isEqualTo(MediaType.APPLICATION_JSON_VALUE);
		assertThat(direct.getContentLength()).isEqualTo(direct.getContentAsByteArray().length);
	}

	private MockHttpServletResponse answer(String path) throws Exception {
		return this.mvc
			.perform(post(path).contentType(MediaType.APPLICATION_JSON).content("{\"text\": \"a benchmark text\"}"))
			.andReturn()
			.getResponse();
	}

}
