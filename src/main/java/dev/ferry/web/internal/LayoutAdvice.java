package dev.ferry.web.internal;

import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page's layout needs: who is signed in and where they are. */
@ControllerAdvice
class LayoutAdvice {

	@ModelAttribute("currentUser")
	CurrentUser currentUser() {
		return CurrentUser.get().orElse(null);
	}

	@ModelAttribute("isAdmin")
	boolean isAdmin() {
		return CurrentUser.get().map(user -> user.has(Role.ADMIN)).orElse(false);
	}

	@ModelAttribute("currentPath")
	String currentPath(HttpServletRequest request) {
		return request.getRequestURI().substring(request.getContextPath().length());
	}

}
