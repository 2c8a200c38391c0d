package dev.runledger.model;

import java.util.List;

/**
 * Who acts: the name bound to an API token, or a system principal.
 *
 * @param projects the projects it may see, or null for all
 */
public record Principal(String name, Role role, List<String> projects) {
  public static final Principal ENGINE = new Principal("system:engine", Role.ADMIN, null);

  public boolean canSee(String project) {
    return projects == null || projects.contains(project);
  }

  public boolean has(Role needed) {
    return role.includes(needed);
  }
}
