package dev.runledger.engine.trigger;

import dev.runledger.audit.AuditLog;
import dev.runledger.engine.NotFoundException;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Per-workflow webhook secrets: made and rotated by an admin, shown once, kept only as a SHA-256
 * hash and compared in constant time.
 */
public final class WebhookService {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;
  private final AuditLog audit;
  private final Clock clock;

  public WebhookService(Store store, AuditLog audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /** Makes a new secret for the workflow's webhook (the old one stops working); returns it. */
  public String rotate(String project, String workflow, Principal by) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    store.writeAndWait(
        tx -> {
          tx.definitions()
              .latest(project, "workflow", workflow)
              .filter(d -> d.archivedAt() == null)
              .orElseThrow(() -> new NotFoundException("no workflow named " + workflow));
          boolean existed = tx.triggers().hookHash(project, workflow).isPresent();
          tx.triggers().putHook(project, workflow, hash(secret), clock.instant(), by.name());
          audit
              .event(existed ? "hook.rotated" : "hook.created", by.name())
              .project(project)
              .target("workflow/" + workflow)
              .details(Json.object().put("workflow", workflow))
              .append(tx);
          return null;
        });
    return secret;
  }

  /** Whether the secret is the workflow's current webhook secret (constant-time comparison). */
  public boolean verify(String project, String workflow, String secret) {
    Optional<String> stored = store.read(tx -> tx.triggers().hookHash(project, workflow));
    byte[] given = hash(secret == null ? "" : secret).getBytes(StandardCharsets.US_ASCII);
    // Compare against something of the same length even when there is no hook, so the answer
    // takes the same time either way.
    byte[] expected = stored.orElse("-".repeat(given.length)).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(given, expected) && stored.isPresent();
  }

  static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
