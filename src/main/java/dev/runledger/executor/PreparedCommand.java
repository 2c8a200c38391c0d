package dev.runledger.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command attempt ready to launch.
 *
 * @param argv the program (resolved) and its arguments
 * @param environment the whole environment of the process
 * @param retryable the exit codes that fail transiently
 * @param outputPatterns the declared output files (names or globs)
 * @param program the resolved executable
 * @param shown the argv as recorded in the evidence: rendered, secrets masked
 */
record PreparedCommand(
    List<String> argv,
    Map<String, String> environment,
    Set<Integer> retryable,
    List<String> outputPatterns,
    Path program,
    List<String> shown) {}
