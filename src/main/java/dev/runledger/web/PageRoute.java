package dev.runledger.web;

import dev.runledger.model.Role;

/** A page route of the web UI with the role it needs. */
public record PageRoute(String method, String path, Role role) {}
