package dev.ferry.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole application on a random port with an in-memory H2 store and the demo users
 * (password {@link #DEMO_PASSWORD}). Every test class with this annotation shares one
 * application context, so tests that change users use names of their own. Tagged
 * {@code integration}: they run in Failsafe ({@code ./mvnw verify}), not in
 * {@code ./mvnw test}.
 */
@Tag("integration")
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
@Import(ProbeTaskConfiguration.class)
public @interface FerryAppTest {

	/** The demo users' password in {@code application-test.yml}. */
	String DEMO_PASSWORD = "demo-password-for-tests";

}
