package dev.infercache.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers the servlet container's own error dispatches in the body every other error has:
 * an RFC 9457 problem, or on {@code /v2/} routes the Open Inference Protocol's
 * {@code {"error": "..."}}, as {@link BodySizeLimitFilter} does. The container dispatches
 * to {@code /error} when it has failed a request itself: a request body it could not read
 * (a malformed chunk) is answered 400 there, whatever the handler answered. Spring Boot's
 * default body would be a third format. The body is written directly, whatever the
 * request's {@code Accept}, since content negotiation failing here would have no error
 * page left to go to. Requested directly, {@code /error} is not found.
 */
@RestController
class ContainerErrorController implements ErrorController {

	private final JsonMapper json;

	ContainerErrorController(JsonMapper json) {
		this.json = json;
	}

	@RequestMapping("${server.error.path:/error}")
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		HttpStatus status = (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code)
				? HttpStatus.resolve(code) : null;
		String uri = (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String original) ? original
				: request.getRequestURI();
		if (status == null || !status.isError()) {
			status = HttpStatus.NOT_FOUND; // not a dispatch: a client asked for /error
		}
		String detail = (status == HttpStatus.BAD_REQUEST) ? "The request could not be read as sent"
				: status.getReasonPhrase();
		Map<String, Object> body = new LinkedHashMap<>();
		if (uri.startsWith("/v2/")) {
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			body.put("error", detail);
		}
		else {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			body.put("type", "about:blank");
			body.put("title", status.getReasonPhrase());
			body.put("status", status.value());
			body.put("detail", detail);
			body.put("instance", uri.replaceAll("[^A-Za-z0-9/_.-]", ""));
		}
		byte[] bytes = this.json.writeValueAsBytes(body);
		response.setStatus(status.value());
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

}
