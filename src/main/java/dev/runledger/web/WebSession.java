package dev.runledger.web;

import dev.runledger.model.Principal;
import dev.runledger.model.Role;

/** The signed-in person of a page request: who, and the CSRF token their forms carry. */
record WebSession(Principal principal, String csrf) {
  boolean can(Role role) {
    return principal.has(role);
  }
}
