package dev.runledger.engine.access;

import dev.runledger.audit.AuditLog;
import dev.runledger.engine.NotFoundException;
import dev.runledger.model.ApiToken;
import dev.runledger.model.Ids;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import dev.runledger.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Issues, checks and revokes API tokens. Only a token's SHA-256 is stored. */
public final class TokenService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}");
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Store store;
  private final AuditLog audit;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** The longest a token may be made to live for. */
  public static final Duration LONGEST = Duration.ofDays(3650);

  /** How often a token's last use is written, at most. */
  private static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);

  private final Map<String, Instant> useRecorded = new ConcurrentHashMap<>();

  public TokenService(Store store, AuditLog audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /** A token just made: its record and its value (shown once). */
  public record Issued(ApiToken token, String value) {}

  /** The principal a token value stands for, if it is a live token. */
  public Optional<Principal> authenticate(String value) {
    return live(value).map(TokenService::principal);
  }

  /** The live token with this value (not revoked, not expired), recording its use. */
  public Optional<ApiToken> live(String value) {
    if (value == null || value.isBlank() || value.length() > 200) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<ApiToken> token = store.read(tx -> tx.tokens().findByHash(hash(value), now));
    token.ifPresent(t -> recordUse(t, now));
    return token;
  }

  /** The principal a token stands for. */
  public static Principal principal(ApiToken t) {
    return new Principal(t.name(), t.role(), t.projects());
  }

  /** Writes a token's last use, at most once a minute for each token, without waiting for it. */
  private void recordUse(ApiToken t, Instant now) {
    Instant last = useRecorded.get(t.id());
    if (last != null && last.plus(USE_RECORDED_EVERY).isAfter(now)) {
      return;
    }
    useRecorded.put(t.id(), now);
    store.write(
        tx -> {
          tx.tokens().used(t.id(), now);
          return null;
        });
  }

  /**
   * Creates a token.
   *
   * @param value the token's value, or null to generate one
   */
  public Issued create(
      String name, Role role, List<String> projects, String value, String createdBy) {
    return create(name, role, projects, value, createdBy, null);
  }

  /**
   * Creates a token that expires {@code expiresIn} from now (null: never).
   *
   * @param value the token's value, or null to generate one
   */
  public Issued create(
      String name,
      Role role,
      List<String> projects,
      String value,
      String createdBy,
      Duration expiresIn) {
    if (expiresIn != null
        && (expiresIn.isNegative() || expiresIn.isZero() || expiresIn.compareTo(LONGEST) > 0)) {
      throw new InvalidInputException(
          "expiresIn", "a token lives from 1 second to 3650 days (as 30d, 12h, 90m)");
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          "name",
          "a token name has 1-128 letters, digits or . _ @ : - and starts with a letter or digit");
    }
    if (projects != null) {
      for (int i = 0; i < projects.size(); i++) {
        String p = projects.get(i);
        if (p == null || !PROJECT.matcher(p).matches()) {
          throw new InvalidInputException("projects[" + i + "]", "not a valid project name");
        }
      }
    }
    String secret = value != null ? value : generate();
    ApiToken token =
        new ApiToken(
            Ids.token(),
            name,
            role,
            projects == null ? null : List.copyOf(projects),
            clock.instant(),
            createdBy,
            null,
            expiresIn == null ? null : clock.instant().plus(expiresIn),
            null,
            hint(secret));
    store.writeAndWait(
        tx -> {
          tx.tokens().insert(token, hash(secret));
          audit
              .event("token.created", createdBy)
              .project(scope(token))
              .target(token.id())
              .details(
                  Json.object()
                      .put("name", name)
                      .put("role", role.wire())
                      .putPOJO("projects", projects)
                      .put(
                          "expiresAt",
                          token.expiresAt() == null
                              ? null
                              : dev.runledger.model.Timestamps.format(token.expiresAt())))
              .append(tx);
          return null;
        });
    return new Issued(token, secret);
  }

  /** Creates the first admin token when there is none; returns it, or empty if tokens exist. */
  public Optional<Issued> bootstrapAdmin(String value) {
    int live = store.read(tx -> tx.tokens().countLive(clock.instant()));
    if (live > 0) {
      return Optional.empty();
    }
    return Optional.of(create("admin", Role.ADMIN, null, value, "system:bootstrap"));
  }

  public List<ApiToken> list() {
    return store.read(tx -> tx.tokens().list());
  }

  public void revoke(String id, String by) {
    store.writeAndWait(
        tx -> {
          Optional<ApiToken> token = tx.tokens().find(id);
          if (!tx.tokens().revoke(id, clock.instant())) {
            throw new NotFoundException("no live token " + id);
          }
          audit
              .event("token.revoked", by)
              .project(token.map(TokenService::scope).orElse(null))
              .target(id)
              .append(tx);
          return null;
        });
  }

  /**
   * The audit scope of a token's events: its project when it is limited to one, otherwise (every
   * project, or several) the system scope (null), which only principals of every project see.
   */
  private static String scope(ApiToken token) {
    return token.projects() != null && token.projects().size() == 1
        ? token.projects().get(0)
        : null;
  }

  /**
   * The first characters of a token's value, to tell it apart in a list: seven of a generated value
   * ({@code rl_} and four of its 43 random characters), at most a quarter of any other.
   */
  static String hint(String value) {
    int n = Math.min(7, value.length() / 4);
    return n == 0 ? null : value.substring(0, n) + "…";
  }

  private String generate() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "rl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
