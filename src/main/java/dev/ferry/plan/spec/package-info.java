/**
 * The parsed model of a plan (format version 1) and its validation: {@link PlanReader}
 * turns the YAML text into a {@link PlanSpec} or a list of problems with line, column and
 * path. Pure Java without Spring beans, so the storage, the pages, the API and the run,
 * gate and mapping modules all read plans the same way.
 */
@NamedInterface("spec")
package dev.ferry.plan.spec;

import org.springframework.modulith.NamedInterface;
