package dev.ferry.web.internal;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The home page: what needs the signed-in user. */
@Controller
class HomeController {

	@GetMapping("/")
	String home() {
		return "home/index";
	}

}
