package dev.ferry.web.internal;

import java.util.List;
import java.util.Locale;

import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Turns the shared refusals into answers: 404 and 409 pages in the console, the JSON
 * error of {@code api.md} under {@code /api}.
 */
@ControllerAdvice
class ProblemAdvice {

	private final MessageSource messages;

	ProblemAdvice(MessageSource messages) {
		this.messages = messages;
	}

	@ExceptionHandler(NotFoundException.class)
	Object notFound(NotFoundException ex, HttpServletRequest request, Locale locale) {
		String text = this.messages.getMessage(ex.getCode(), ex.getArgs(), ex.getMessage(), locale);
		return answer(request, HttpStatus.NOT_FOUND, text, ex.getMessage(), List.of());
	}

	@ExceptionHandler(InvalidException.class)
	Object invalid(InvalidException ex, HttpServletRequest request, Locale locale) {
		String text = this.messages.getMessage(ex.getCode(), ex.getArgs(), ex.getMessage(), locale);
		return answer(request, HttpStatus.BAD_REQUEST, text, ex.getMessage(), List.of());
	}

	@ExceptionHandler(RefusedException.class)
	Object refused(RefusedException ex, HttpServletRequest request, Locale locale) {
		String text = this.messages.getMessage(ex.getCode(), ex.getArgs(), ex.getMessage(), locale);
		return answer(request, HttpStatus.CONFLICT, text, ex.getMessage(), ex.getReasons());
	}

	private static Object answer(HttpServletRequest request, HttpStatus status, String text, String english,
			List<String> reasons) {
		if (ErrorPagesController.wantsJson(request, request.getRequestURI())) {
			return ResponseEntity.status(status)
				.contentType(MediaType.APPLICATION_JSON)
				.body(new ApiError(english, reasons));
		}
		return ErrorPagesController.page(status, text);
	}

}
