package dev.infercache.cache;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.infercache.ApiClient;
import dev.infercache.model.SentimentModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DELETE /cache/{key}} and {@code DELETE /cache?text=}: one entry goes, named by
 * its {@code X-Cache-Key}, its full key or its text, and every other entry stays; bad
 * names are clean 400s, and the admin token guards all of it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "infercache.admin.token=s3cret-token")
class CacheRemovalIntegrationTests {

	private static final String[] ADMIN = { "Authorization", "Bearer s3cret-token" };

	private static final List<String> TEXTS = List.of("a great day", "an awful day", "a great night");

	@LocalServerPort
	int port;

	@Autowired
	SentimentModel model;

	ApiClient api;

	@BeforeEach
	void answerEveryText() {
		this.api = new ApiClient(this.port);
		assertThat(this.api.delete("/cache", ADMIN).statusCode()).isEqualTo(200);
		for (String text : TEXTS) {
			assertThat(this.api.predict(text, "Prefer", "wait=10").statusCode()).isEqualTo(200);
			assertThat(cached(text)).isTrue();
		}
	}

	@Test
	void deleteByXCacheKeyRemovesThatEntryAndNoOther() {
		String header = this.api.predict("a great day").headers().firstValue("X-Cache-Key").orElseThrow();

		HttpResponse<String> removed = this.api.delete("/cache/" + header, ADMIN);

		assertThat(removed.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(removed).get("removed").booleanValue()).isTrue();
		assertThat(cached("a great day")).isFalse();
		assertThat(cached("an awful day")).isTrue();
		assertThat(cached("a great night")).isTrue();
		HttpResponse<String> again = this.api.delete("/cache/" + header, ADMIN);
		assertThat(ApiClient.json(again).get("removed").booleanValue()).isFalse();
	}

	@Test
	void deleteByFullKeyRemovesThatEntryAndNoOther() {
		String full = CacheKey.of("an awful day", this.model.id()).hash();

		HttpResponse<String> removed = this.api.delete("/cache/" + full.toUpperCase(java.util.Locale.ROOT), ADMIN);

		assertThat(ApiClient.json(removed).get("removed").booleanValue()).isTrue();
		assertThat(cached("an awful day")).isFalse();
		assertThat(cached("a great day")).isTrue();
		assertThat(cached("a great night")).isTrue();
	}

	@Test
	void deleteByTextNormalizesItAsARequestDoes() {
		HttpResponse<String> removed = this.api.delete("/cache?text=" + encoded("  A GREAT\tnight "), ADMIN);

		assertThat(removed.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(removed).get("removed").booleanValue()).isTrue();
		assertThat(cached("a great night")).isFalse();
		assertThat(cached("a great day")).isTrue();
		assertThat(cached("an awful day")).isTrue();
		HttpResponse<String> miss = this.api.predict("a great night");
		assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
		HttpResponse<String> absent = this.api.delete("/cache?text=" + encoded("never asked"), ADMIN);
		assertThat(ApiClient.json(absent).get("removed").booleanValue()).isFalse();
	}

	@Test
	void anUnknownKeyFormIsACleanBadRequest() {
		for (String key : List.of("xyz", "abc", "0123456789abcdef0", "0123456789abcdeg", "%20")) {
			HttpResponse<String> bad = this.api.delete("/cache/" + key, ADMIN);
			assertThat(bad.statusCode()).as(key).isEqualTo(400);
			assertThat(bad.headers().firstValue("Content-Type")).as(key).hasValue("application/problem+json");
			assertThat(ApiClient.json(bad).get("detail").stringValue()).as(key).contains("16 hex digits");
		}
		HttpResponse<String> blank = this.api.delete("/cache?text=" + encoded("  "), ADMIN);
		assertThat(blank.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(blank).get("detail").stringValue()).contains("empty");
		TEXTS.forEach((text) -> assertThat(cached(text)).as(text).isTrue());
	}

	@Test
	void aClearWithAnUnknownQueryParameterIsABadRequestAndClearsNothing() {
		for (String query : List.of("key=0123456789abcdef", "Text=a%20great%20day", "text2=x")) {
			HttpResponse<String> bad = this.api.delete("/cache?" + query, ADMIN);
			assertThat(bad.statusCode()).as(query).isEqualTo(400);
			assertThat(ApiClient.json(bad).get("detail").stringValue()).as(query)
				.contains("no query parameter but 'text'");
		}
		TEXTS.forEach((text) -> assertThat(cached(text)).as(text).isTrue());
	}

	@Test
	void removalsNeedTheAdminToken() {
		String header = this.api.predict("a great day").headers().firstValue("X-Cache-Key").orElseThrow();
		assertThat(this.api.delete("/cache/" + header).statusCode()).isEqualTo(401);
		assertThat(this.api.delete("/cache?text=" + encoded("a great day")).statusCode()).isEqualTo(401);
		assertThat(this.api.delete("/cache/" + header, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
		assertThat(this.api.delete("/cache/xyz").statusCode()).as("the token is checked first").isEqualTo(401);
		assertThat(cached("a great day")).isTrue();
		assertThat(this.api.get("/cache/stats").statusCode()).isEqualTo(200);
	}

	private boolean cached(String text) {
		return this.api.predict(text, "Cache-Control", "only-if-cached").statusCode() == 200;
	}

	private static String encoded(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
