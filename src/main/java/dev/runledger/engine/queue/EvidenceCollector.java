package dev.runledger.engine.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.definition.SecretMasker;
import dev.runledger.executor.AttemptLog;
import dev.runledger.model.Artifact;
import dev.runledger.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gathers one attempt's evidence while it runs: what the executor reports (command, executable),
 * the bytes it wrote to stdout and stderr, the files placed and kept; plus the server's runtime.
 */
final class EvidenceCollector implements AttemptLog {
  private static final ObjectNode RUNTIME = runtime();

  private final AttemptLog log;
  private final SecretMasker mask;
  private final ObjectNode details = Json.object();
  private final AtomicLong stdoutBytes = new AtomicLong();
  private final AtomicLong stderrBytes = new AtomicLong();
  private final List<Artifact> inputs = new ArrayList<>();
  private final List<Artifact> outputs = new ArrayList<>();

  EvidenceCollector(AttemptLog log, SecretMasker mask) {
    this.log = log;
    this.mask = mask;
  }

  /** Records what an executor reports, masked again here whatever the executor did. */
  synchronized void put(String key, JsonNode value) {
    details.set(key, mask.mask(value));
  }

  synchronized void inputs(List<Artifact> placed) {
    inputs.addAll(placed);
  }

  synchronized void outputs(List<Artifact> kept) {
    outputs.addAll(kept);
  }

  @Override
  public void stdout(String line) {
    stdoutBytes.addAndGet(line.getBytes(StandardCharsets.UTF_8).length + 1L);
    log.stdout(line);
  }

  @Override
  public void stderr(String line) {
    stderrBytes.addAndGet(line.getBytes(StandardCharsets.UTF_8).length + 1L);
    log.stderr(line);
  }

  @Override
  public void progress(int percent, String message) {
    log.progress(percent, message);
  }

  synchronized Evidence finish() {
    ObjectNode d = details.deepCopy();
    d.put("stdoutBytes", stdoutBytes.get());
    d.put("stderrBytes", stderrBytes.get());
    d.set("runtime", RUNTIME.deepCopy());
    return new Evidence(d, inputs, outputs);
  }

  private static ObjectNode runtime() {
    ObjectNode n = Json.object();
    n.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
    n.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    return n;
  }
}
