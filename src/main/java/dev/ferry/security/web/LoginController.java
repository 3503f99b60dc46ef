package dev.ferry.security.web;

import dev.ferry.security.CurrentUser;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Ferry's own sign-in page; the form posts to Spring Security's login processing. */
@Controller
class LoginController {

	@GetMapping("/login")
	String login() {
		return CurrentUser.get().isPresent() ? "redirect:/" : "security/login";
	}

}
