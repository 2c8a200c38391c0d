package dev.runledger.engine;

import dev.runledger.audit.AuditLog;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Write-only secrets: set and delete through the API, read only by the engine. */
public final class SecretService implements SecretSource {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final Store store;
  private final AuditLog audit;
  private final Clock clock;

  public SecretService(Store store, AuditLog audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
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
          boolean created = tx.secrets().put(project, name, value, clock.instant(), by.name());
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
    return store.read(tx -> tx.secrets().values(project));
  }
}
