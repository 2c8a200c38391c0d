package dev.runledger.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.AuditEvent;
import dev.runledger.model.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** {@code hash = sha256(prevHash || canonical JSON of the event)}, the link of the audit chain. */
public final class AuditHasher {
  /** The chain's first {@code prevHash}. */
  public static final String GENESIS = "sha256:" + "0".repeat(64);

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

  private AuditHasher() {}

  /** The hash of {@code event} at position {@code seq} after {@code prevHash}. */
  public static String hash(String prevHash, long seq, AuditEvent event) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prevHash.getBytes(StandardCharsets.UTF_8));
      sha.update(canonical(seq, event).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String canonical(long seq, AuditEvent e) {
    ObjectNode node = Json.object();
    node.put("seq", seq);
    node.put("id", e.id());
    node.put("at", DateTimeFormatter.ISO_INSTANT.format(e.at()));
    node.put("project", e.project());
    node.put("actor", e.actor());
    node.put("type", e.type());
    node.put("runId", e.runId());
    node.put("taskName", e.taskName());
    node.put("target", e.target());
    node.set("details", e.details());
    try {
      return CANONICAL.writeValueAsString(node);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
