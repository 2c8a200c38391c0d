package dev.runledger.engine.access;

import java.util.Map;

/** Where the engine reads a project's secret values (for templates and masking). */
@FunctionalInterface
public interface SecretSource {
  Map<String, String> values(String project);
}
