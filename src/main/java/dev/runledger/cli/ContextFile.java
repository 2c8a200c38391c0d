package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client's config file of named contexts, {@code ~/.config/runledger/config.yaml} unless {@code
 * --config}, {@code RUNLEDGER_CONFIG} or {@code XDG_CONFIG_HOME} say otherwise:
 *
 * <pre>
 * current-context: prod
 * contexts:
 *   prod: {url: https://runledger.example.com, tokenFile: prod.token, project: payments}
 * </pre>
 *
 * A relative {@code tokenFile} is read beside the config file; {@code ~/} is the home directory.
 * Keys this class does not know are kept when it writes the file.
 */
final class ContextFile {
  static final String CONFIG_VARIABLE = "RUNLEDGER_CONFIG";
  static final String CONTEXT_VARIABLE = "RUNLEDGER_CONTEXT";
  private static final String CURRENT = "current-context";
  private static final String CONTEXTS = "contexts";
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();

  /** One named context; any field may be absent. */
  record Context(String name, String url, String tokenFile, String project) {}

  private final Path path;
  private final String home;
  private final ObjectNode root;

  private ContextFile(Path path, String home, ObjectNode root) {
    this.path = path;
    this.home = home;
    this.root = root;
  }

  /**
   * Where the config file is: the option, else {@code $RUNLEDGER_CONFIG}, else {@code
   * $XDG_CONFIG_HOME/runledger/config.yaml}, else {@code $HOME/.config/runledger/config.yaml};
   * empty when none of these is set.
   */
  static Optional<Path> locate(ClientEnvironment env, String option) {
    if (option != null && !option.isBlank()) {
      return Optional.of(expand(option.trim(), env.get("HOME")));
    }
    String variable = env.get(CONFIG_VARIABLE);
    if (variable != null) {
      return Optional.of(expand(variable, env.get("HOME")));
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null) {
      return Optional.of(Path.of(xdg, "runledger", "config.yaml"));
    }
    String home = env.get("HOME");
    return home == null
        ? Optional.empty()
        : Optional.of(Path.of(home, ".config", "runledger", "config.yaml"));
  }

  /** The file where {@link #locate} says, read; an absent file has no contexts. */
  static ContextFile load(ClientEnvironment env, String option) {
    Optional<Path> where = locate(env, option);
    if (where.isEmpty()) {
      return new ContextFile(null, null, Json.MAPPER.createObjectNode());
    }
    return read(where.get(), env.get("HOME"));
  }

  static ContextFile read(Path path, String home) {
    if (!Files.exists(path)) {
      return new ContextFile(path, home, Json.MAPPER.createObjectNode());
    }
    JsonNode node;
    try {
      node = YAML.readTree(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliException(
          "cannot read the config file "
              + path
              + ": "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return new ContextFile(path, home, Json.MAPPER.createObjectNode());
    }
    if (!node.isObject()
        || !(node.path(CONTEXTS).isMissingNode() || node.get(CONTEXTS).isObject())) {
      throw new CliException(
          "the config file "
              + path
              + " must be a mapping with '"
              + CONTEXTS
              + "' a mapping of names to {url, tokenFile, project}");
    }
    return new ContextFile(path, home, (ObjectNode) node);
  }

  Path path() {
    return path;
  }

  /** The {@code current-context}, if the file names one. */
  Optional<String> current() {
    return Optional.ofNullable(Json.text(root, CURRENT)).filter(s -> !s.isBlank());
  }

  Optional<Context> context(String name) {
    JsonNode node = root.path(CONTEXTS).get(name);
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new Context(
            name,
            Json.text(node, "url"),
            Json.text(node, "tokenFile"),
            Json.text(node, "project")));
  }

  /** Every context, in the file's order. */
  List<Context> contexts() {
    List<Context> all = new ArrayList<>();
    root.path(CONTEXTS).fieldNames().forEachRemaining(n -> context(n).ifPresent(all::add));
    return all;
  }

  /**
   * The context named, else the current one; empty when neither is set.
   *
   * @throws CliException (not found) when the name is not one of the file's contexts
   */
  Optional<Context> select(String name) {
    Optional<String> wanted = Optional.ofNullable(name).or(this::current);
    if (wanted.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(context(wanted.get()).orElseThrow(() -> noSuchContext(wanted.get())));
  }

  /** Makes a context the current one. */
  void use(String name) {
    if (context(name).isEmpty()) {
      throw noSuchContext(name);
    }
    root.put(CURRENT, name);
  }

  /** Adds a context or changes the fields given (non-null) of an existing one. */
  void put(String name, String url, String tokenFile, String project) {
    ObjectNode contexts =
        root.path(CONTEXTS).isObject() ? (ObjectNode) root.get(CONTEXTS) : root.putObject(CONTEXTS);
    ObjectNode context =
        contexts.path(name).isObject() ? (ObjectNode) contexts.get(name) : contexts.putObject(name);
    Map.of("url", opt(url), "tokenFile", opt(tokenFile), "project", opt(project))
        .forEach((k, v) -> v.ifPresent(value -> context.put(k, value)));
  }

  /** Writes the file back, creating its directory; readable by its owner only. */
  void write() {
    if (path == null) {
      throw new UsageException(
          "no config file: set HOME, XDG_CONFIG_HOME or " + CONFIG_VARIABLE + ", or pass --config");
    }
    try {
      Path dir = path.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".config", ".yaml");
      try {
        owned(temp);
        Files.writeString(temp, YAML.writeValueAsString(root), StandardCharsets.UTF_8);
        Files.move(temp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new CliException("cannot write the config file " + path + ": " + e.getMessage());
    }
  }

  /**
   * The token a context's {@code tokenFile} holds, its first line; relative to the config file.
   *
   * @throws CliException when the file cannot be read or is empty
   */
  Optional<String> token(Context context) {
    if (context.tokenFile() == null || context.tokenFile().isBlank()) {
      return Optional.empty();
    }
    Path file = expand(context.tokenFile().trim(), home);
    if (!file.isAbsolute() && path != null && path.toAbsolutePath().getParent() != null) {
      file = path.toAbsolutePath().getParent().resolve(file);
    }
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty() || token.contains("\n")) {
        throw new UsageException(
            "the token file "
                + file
                + " of context '"
                + context.name()
                + "' must hold one token on one line");
      }
      return Optional.of(token);
    } catch (IOException e) {
      throw new UsageException(
          "cannot read the token file "
              + file
              + " of context '"
              + context.name()
              + "': "
              + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
    }
  }

  private CliException noSuchContext(String name) {
    List<String> names = contexts().stream().map(Context::name).toList();
    return new NotFoundException(
        "no context '"
            + name
            + "' in "
            + (path == null ? "the config file" : path)
            + (names.isEmpty() ? " (it has none)" : " (it has: " + String.join(", ", names) + ")"));
  }

  private static Path expand(String file, String home) {
    if (home != null && (file.equals("~") || file.startsWith("~/"))) {
      return Path.of(home + file.substring(1));
    }
    return Path.of(file);
  }

  private static Optional<String> opt(String value) {
    return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static void owned(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // the platform's default permissions
    }
  }
}
