/**
 * Change sets: the rows an import or mapping dry run would change (insert, update with
 * before and after, delete, rejected with its reasons), stored in Ferry's store with a
 * sha256 over their canonical form, browsed and exported, and written as report files.
 * This module never reads or writes a source or target database; executors hand it the
 * rows they found.
 */
@ApplicationModule(allowedDependencies = { "problem", "security" })
package dev.ferry.changeset;

import org.springframework.modulith.ApplicationModule;
