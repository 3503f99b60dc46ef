package dev.ferry.web.internal;

import java.util.List;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Renders every error the container forwards to {@code /error}: a page that says what
 * happened in words for the console, the JSON error of {@code api.md} for the API. Never
 * a stack trace.
 */
@Controller
class ErrorPagesController implements ErrorController {

	@RequestMapping("/error")
	Object error(HttpServletRequest request, Model model) {
		HttpStatus status = statusOf(request);
		String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (wantsJson(request, uri)) {
			return ResponseEntity.status(status)
				.contentType(MediaType.APPLICATION_JSON)
				.body(new ApiError(status.getReasonPhrase(), List.of()));
		}
		return page(status, null);
	}

	static ModelAndView page(HttpStatus status, String detail) {
		ModelAndView page = new ModelAndView("error/error",
				Map.of("status", status.value(), "statusKey", messageKey(status)), status);
		if (detail != null) {
			page.addObject("detail", detail);
		}
		return page;
	}

	static boolean wantsJson(HttpServletRequest request, String uri) {
		if (uri != null && (uri.startsWith("/api/") || uri.equals("/api"))) {
			return true;
		}
		String accept = request.getHeader("Accept");
		return accept != null && accept.contains("application/json") && !accept.contains("text/html");
	}

	private static String messageKey(HttpStatus status) {
		return switch (status.value()) {
			case 400, 401, 403, 404, 405, 409 -> String.valueOf(status.value());
			default -> status.is4xxClientError() ? "4xx" : "500";
		};
	}

	private static HttpStatus statusOf(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		if (code instanceof Integer value) {
			HttpStatus status = HttpStatus.resolve(value);
			if (status != null) {
				return status;
			}
		}
		return HttpStatus.INTERNAL_SERVER_ERROR;
	}

}
