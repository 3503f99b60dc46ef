package dev.ferry.security.web;

import jakarta.servlet.http.HttpSession;

import dev.ferry.security.CurrentUser;
import dev.ferry.security.SignInThrottled;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.security.web.WebAttributes;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Ferry's own sign-in page; the form posts to Spring Security's login processing. After
 * too many failed sign-ins it says how long the user name or address is refused.
 */
@Controller
class LoginController {

	@GetMapping("/login")
	String login(HttpSession session, Model model) {
		if (CurrentUser.get().isPresent()) {
			return "redirect:/";
		}
		if (session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof SignInThrottled throttled) {
			model.addAttribute("refusedFor", throttled.retryAfterSeconds());
		}
		return "security/login";
	}

}
