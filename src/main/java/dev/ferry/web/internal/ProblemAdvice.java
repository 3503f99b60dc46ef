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
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

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

	/**
	 * A path or query parameter that is not of its type: {@code ?limit=abc},
	 * {@code /runs/x}.
	 */
	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	Object mismatch(MethodArgumentTypeMismatchException ex, HttpServletRequest request, Locale locale) {
		Class<?> type = ex.getRequiredType();
		boolean number = type != null && (Number.class.isAssignableFrom(type) || type == int.class || type == long.class
				|| type == short.class);
		String code = number ? "error.param.number" : "error.param.type";
		Object[] args = { ex.getName(), String.valueOf(ex.getValue()) };
		String english = number ? ex.getName() + ": '" + ex.getValue() + "' is not a whole number."
				: ex.getName() + ": '" + ex.getValue() + "' is not a value this parameter takes.";
		String text = this.messages.getMessage(code, args, english, locale);
		return answer(request, HttpStatus.BAD_REQUEST, text, english, List.of());
	}

	/**
	 * A request body that is not the JSON the operation takes: malformed, or a field of
	 * the wrong type.
	 */
	@ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
	Object unreadable(org.springframework.http.converter.HttpMessageNotReadableException ex, HttpServletRequest request,
			Locale locale) {
		String cause = ex.getMostSpecificCause().getMessage();
		String first = (cause == null) ? "" : cause.lines().findFirst().orElse("");
		String english = "The request body is not the JSON this operation takes"
				+ (first.isBlank() ? "." : ": " + (first.length() > 200 ? first.substring(0, 200) + "…" : first));
		String text = this.messages.getMessage("error.body.unreadable", new Object[] { first }, english, locale);
		return answer(request, HttpStatus.BAD_REQUEST, text, english, List.of());
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
