package dev.infercache.web;

import java.io.IOException;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers the servlet container's own error dispatches in the body every other error has
 * ({@link ErrorBodies}: an RFC 9457 problem, or the Open Inference Protocol's
 * {@code {"error": "..."}} on {@code /v2/} routes). The container dispatches to
 * {@code /error} when it has failed a request itself: a request body it could not read (a
 * malformed chunk) is answered 400 there, whatever the handler answered. Spring Boot's
 * default body would be a third format. The body is written directly, whatever the
 * request's {@code Accept}, since content negotiation failing here would have no error
 * page left to go to; it never carries the exception or the container's message.
 * Requested directly, {@code /error} is not found.
 */
@Hidden
@RestController
class ContainerErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (response.isCommitted()) {
			// part of an answer is on the wire already: a body appended to it would only
			// garble it
			return;
		}
		// not a dispatch: a client asked for /error
		int status = HttpStatus.NOT_FOUND.value();
		if (request.getDispatcherType() == DispatcherType.ERROR) {
			status = (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code && code >= 400
					&& code < 600) ? code : HttpStatus.INTERNAL_SERVER_ERROR.value();
		}
		String uri = (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String original) ? original
				: request.getRequestURI();
		String detail = (status == HttpStatus.BAD_REQUEST.value()) ? "The request could not be read as sent"
				: ErrorBodies.title(status);
		ErrorBodies.write(response, status, detail, uri);
	}

}
