package dev.ferry.connection.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.data.repository.ListCrudRepository;

/** The connection profiles in Ferry's store. */
interface ConnectionProfiles extends ListCrudRepository<ConnectionProfile, Long> {

	Optional<ConnectionProfile> findByName(String name);

	boolean existsByName(String name);

	List<ConnectionProfile> findAllByOrderByNameAsc();

}
