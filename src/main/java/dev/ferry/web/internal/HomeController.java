package dev.ferry.web.internal;

import dev.ferry.plan.PlanService;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The home page: what needs the signed-in user, then every plan. */
@Controller
class HomeController {

	private final PlanService plans;

	HomeController(PlanService plans) {
		this.plans = plans;
	}

	@GetMapping("/")
	String home(Model model) {
		model.addAttribute("plans", this.plans.list());
		return "home/index";
	}

}
