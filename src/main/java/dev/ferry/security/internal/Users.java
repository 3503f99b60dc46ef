package dev.ferry.security.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** The user accounts in Ferry's store. */
public interface Users extends ListCrudRepository<UserAccount, Long> {

	Optional<UserAccount> findByUsername(String username);

	boolean existsByUsername(String username);

	List<UserAccount> findByDemoTrueAndEnabledTrue();

	/** One keyset page of accounts whose name contains {@code q}, after {@code after}. */
	@Query("""
			SELECT * FROM users
			WHERE username > :after AND username LIKE :pattern ESCAPE '\\'
			ORDER BY username
			LIMIT :limit
			""")
	List<UserAccount> page(String after, String pattern, int limit);

	@Query("""
			SELECT count(*) FROM users u
			WHERE u.enabled AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'ADMIN')
			""")
	long countEnabledAdmins();

}
