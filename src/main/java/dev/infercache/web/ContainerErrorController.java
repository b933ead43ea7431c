package dev.infercache.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
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
 * page left to go to; it never carries the exception or the container's message.
 * Requested directly, {@code /error} is not found.
 */
@Hidden
@RestController
class ContainerErrorController implements ErrorController {

	private final JsonMapper json;

	ContainerErrorController(JsonMapper json) {
		this.json = json;
	}

	@RequestMapping("${server.error.path:/error}")
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (response.isCommitted()) {
			// part of an answer is on the wire already: a body appended to it would only
			// garble it
			return;
		}
		HttpStatusCode status = HttpStatus.NOT_FOUND; // not a dispatch: a client asked
														// for it
		if (request.getDispatcherType() == DispatcherType.ERROR) {
			status = (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code && code >= 400
					&& code < 600) ? HttpStatusCode.valueOf(code) : HttpStatus.INTERNAL_SERVER_ERROR;
		}
		String uri = (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String original) ? original
				: request.getRequestURI();
		HttpStatus known = HttpStatus.resolve(status.value());
		String title = (known != null) ? known.getReasonPhrase() : "Error";
		String detail = (status.value() == HttpStatus.BAD_REQUEST.value()) ? "The request could not be read as sent"
				: title;
		Map<String, Object> body = new LinkedHashMap<>();
		if (uri.startsWith("/v2/")) {
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			body.put("error", detail);
		}
		else {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			body.put("type", "about:blank");
			body.put("title", title);
			body.put("status", status.value());
			body.put("detail", detail);
			body.put("instance", uri.replaceAll("[^A-Za-z0-9/_.-]", ""));
		}
		byte[] bytes = this.json.writeValueAsBytes(body);
		response.setStatus(status.value());
		// the container's own error answers bypass SecurityHeadersFilter's no-store
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

}
