package dev.runledger.engine.access;

import dev.runledger.audit.AuditLog;
import dev.runledger.engine.NotFoundException;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.store.Store;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Write-only secrets: set and delete through the API, read only by the engine. Values are stored
 * encrypted ({@link SecretCipher}); the database never holds one in plain text.
 */
public final class SecretService implements SecretSource {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final Store store;
  private final AuditLog audit;
  private final Clock clock;
  private final SecretCipher cipher;

  public SecretService(Store store, AuditLog audit, Clock clock, SecretCipher cipher) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.cipher = cipher;
  }

  /** Encrypts values stored in plain text by an earlier version; returns how many. Run at start. */
  public int encryptPlainValues() {
    return store.writeAndWait(
        tx -> {
          int n = 0;
          for (String[] row : tx.secrets().allValues()) {
            if (!SecretCipher.isEncrypted(row[2])) {
              tx.secrets().replaceStored(row[0], row[1], cipher.encrypt(row[0], row[1], row[2]));
              n++;
            }
          }
          return n;
        });
  }

  /** Sets a secret; returns true when it is new. */
  public boolean put(String project, String name, String value, Principal by) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          "name", "a secret name has letters, digits and _ and does not start with a digit");
    }
    if (value == null || value.isEmpty()) {
      throw new InvalidInputException("value", "a secret needs a non-empty value");
    }
    return store.writeAndWait(
        tx -> {
          boolean created =
              tx.secrets()
                  .put(
                      project,
                      name,
                      cipher.encrypt(project, name, value),
                      clock.instant(),
                      by.name());
          audit
              .event(created ? "secret.created" : "secret.updated", by.name())
              .project(project)
              .target("secret/" + name)
              .details(Json.object().put("name", name))
              .append(tx);
          return created;
        });
  }

  public void delete(String project, String name, Principal by) {
    store.writeAndWait(
        tx -> {
          if (!tx.secrets().delete(project, name)) {
            throw new NotFoundException("no secret named " + name);
          }
          audit
              .event("secret.deleted", by.name())
              .project(project)
              .target("secret/" + name)
              .details(Json.object().put("name", name))
              .append(tx);
          return null;
        });
  }

  public List<Map<String, Object>> list(String project) {
    return store.read(tx -> tx.secrets().list(project));
  }

  @Override
  public Map<String, String> values(String project) {
    Map<String, String> stored = store.read(tx -> tx.secrets().values(project));
    Map<String, String> values = new LinkedHashMap<>();
    stored.forEach((name, value) -> values.put(name, cipher.decrypt(project, name, value)));
    return values;
  }
}
