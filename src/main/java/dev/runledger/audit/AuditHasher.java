package dev.runledger.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.runledger.model.AuditEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

  /**
   * The event as JSON with every object's keys in sorted order (its own and those inside {@code
   * details}), written field by field in that order.
   */
  static String canonical(long seq, AuditEvent e) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = CANONICAL.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("actor", e.actor());
      g.writeStringField("at", DateTimeFormatter.ISO_INSTANT.format(e.at()));
      g.writeFieldName("details");
      if (e.details() == null) {
        g.writeNull();
      } else {
        CANONICAL.writeTree(g, e.details());
      }
      g.writeStringField("id", e.id());
      g.writeStringField("project", e.project());
      g.writeStringField("runId", e.runId());
      g.writeNumberField("seq", seq);
      g.writeStringField("target", e.target());
      g.writeStringField("taskName", e.taskName());
      g.writeStringField("type", e.type());
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }
}
