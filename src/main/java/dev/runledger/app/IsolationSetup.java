package dev.runledger.app;

import dev.runledger.executor.CommandIsolation;
import dev.runledger.executor.CommandIsolation.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how this node isolates command attempts ({@code --isolation}, docs/security.md) and
 * readies the directories for it. {@code auto}: the bubblewrap sandbox when it works here; else, as
 * root, the {@code --run-as} user (or {@code nobody}); else, not as root, none, logged loudly.
 */
final class IsolationSetup {
  /** The account commands run as when the server runs as root without bubblewrap or --run-as. */
  static final String FALLBACK_USER = "nobody";

  private static final Logger LOG = LoggerFactory.getLogger(IsolationSetup.class);

  /** The chosen isolation and where attempts' working directories go under it. */
  record Chosen(CommandIsolation isolation, Path workRoot) {}

  private final ServerConfig config;
  private final String nodeId;
  private final boolean root;
  private final List<String> path;

  IsolationSetup(ServerConfig config, String nodeId) {
    this.config = config;
    this.nodeId = nodeId;
    this.root = uid() == 0;
    String p = System.getenv("PATH");
    this.path = List.of((p == null || p.isEmpty() ? "/usr/local/bin:/usr/bin:/bin" : p).split(":"));
  }

  Chosen choose() {
    Path dataDir = real(config.dataDir());
    String requested =
        config.isolation() == null ? "auto" : config.isolation().toLowerCase(Locale.ROOT);
    Chosen chosen =
        switch (requested) {
          case "sandbox" -> sandbox(dataDir, true);
          case "user" -> user(dataDir, requireRunAs());
          case "none" -> none(dataDir);
          case "auto" -> auto(dataDir);
          default ->
              throw new IllegalArgumentException(
                  "--isolation is sandbox, user, none or auto, not '" + config.isolation() + "'");
        };
    if (chosen.isolation().mode() == Mode.NONE) {
      LOG.warn(
          "COMMANDS ARE NOT ISOLATED (--isolation none): a command runs as this server's user and"
              + " can read its environment (/proc/{}/environ), its store and its secret key in {}."
              + " Install bubblewrap or run as root with --run-as USER (docs/security.md).",
          ProcessHandle.current().pid(),
          dataDir);
    } else {
      LOG.info("command isolation: {}", chosen.isolation().describe());
    }
    return chosen;
  }

  private Chosen auto(Path dataDir) {
    Chosen sandbox = sandbox(dataDir, false);
    if (sandbox != null) {
      return sandbox;
    }
    if (config.runAs() != null) {
      return user(dataDir, config.runAs());
    }
    if (root) {
      LOG.warn(
          "bubblewrap is not available and no --run-as was given: commands run as '{}'. Install"
              + " bubblewrap (apt-get install -y bubblewrap) for the sandbox, or create a user for"
              + " commands and pass --run-as (docs/security.md).",
          FALLBACK_USER);
      return user(dataDir, FALLBACK_USER);
    }
    return none(dataDir);
  }

  /** The sandbox, or (when not {@code required}) null if bubblewrap does not work here. */
  private Chosen sandbox(Path dataDir, boolean required) {
    Path bwrap = onPath("bwrap");
    String problem =
        bwrap == null
            ? "bwrap is not installed (apt-get install -y bubblewrap)"
            : CommandIsolation.sandboxProblem(bwrap);
    if (problem != null) {
      if (required) {
        throw new IllegalStateException(
            "--isolation sandbox: "
                + problem
                + "; or use --isolation user --run-as USER (as root), or --isolation none");
      }
      LOG.info("no sandbox for commands: {}", problem);
      return null;
    }
    List<Path> hidden = new ArrayList<>();
    hidden.add(dataDir);
    Path tmp = real(Path.of(System.getProperty("java.io.tmpdir")));
    // the JVM's performance data names its command line (--db with a password, say)
    Path perfData = tmp.resolve("hsperfdata_" + System.getProperty("user.name"));
    if (Files.isDirectory(perfData)) {
      hidden.add(perfData);
    }
    List<Path> writable = new ArrayList<>();
    writable.add(tmp);
    config.sandboxWritable().forEach(p -> writable.add(real(p)));
    return new Chosen(
        CommandIsolation.sandbox(bwrap, hidden, writable), dataDir.resolve(Runledger.WORK_DIR));
  }

  private String requireRunAs() {
    if (config.runAs() == null) {
      throw new IllegalStateException(
          "--isolation user needs --run-as USER: an unprivileged account for commands (useradd"
              + " --system --no-create-home --shell /usr/sbin/nologin runledger-cmd)");
    }
    return config.runAs();
  }

  /**
   * Commands as {@code user}: the data directory becomes 0700 (the server's alone), and working
   * directories live outside it, in {@code <tmp>/runledger-work-<node id>} (0711).
   */
  private Chosen user(Path dataDir, String user) {
    if (!root) {
      throw new IllegalStateException(
          "--run-as " + user + " needs the server to run as root, to switch to that user");
    }
    Path setpriv = onPath("setpriv");
    if (setpriv == null) {
      throw new IllegalStateException("--run-as needs setpriv (util-linux) on PATH");
    }
    int[] ids = ids(user);
    if (ids[0] == 0) {
      throw new IllegalStateException("--run-as " + user + " is root; name an unprivileged user");
    }
    Path workRoot =
        real(Path.of(System.getProperty("java.io.tmpdir"))).resolve("runledger-work-" + nodeId);
    try {
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
      if (!Files.exists(workRoot, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(workRoot);
      }
      if (!Files.isDirectory(workRoot, LinkOption.NOFOLLOW_LINKS)
          || (Integer) Files.getAttribute(workRoot, "unix:uid", LinkOption.NOFOLLOW_LINKS) != 0) {
        throw new IllegalStateException(
            workRoot + " is not a directory of root's: remove it, it is where commands run");
      }
      Files.setPosixFilePermissions(workRoot, PosixFilePermissions.fromString("rwx--x--x"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot ready directories for --run-as " + user, e);
    }
    return new Chosen(CommandIsolation.user(setpriv, user, ids[0], ids[1]), workRoot);
  }

  private Chosen none(Path dataDir) {
    return new Chosen(CommandIsolation.none(), dataDir.resolve(Runledger.WORK_DIR));
  }

  /** uid and gid of a user, from getent (or /etc/passwd). */
  private static int[] ids(String user) {
    String line = null;
    try {
      ProcessBuilder builder =
          new ProcessBuilder("getent", "passwd", user)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      String path = builder.environment().get("PATH");
      builder.environment().clear();
      builder.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
      Process p = builder.start();
      try (InputStream in = p.getInputStream()) {
        String out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
          line = out.lines().findFirst().orElse(null);
        }
      }
    } catch (IOException e) {
      line = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (line == null) {
      try {
        line =
            Files.readAllLines(Path.of("/etc/passwd")).stream()
                .filter(l -> l.startsWith(user + ":"))
                .findFirst()
                .orElse(null);
      } catch (IOException e) {
        line = null;
      }
    }
    String[] fields = line == null ? new String[0] : line.split(":");
    if (fields.length < 4) {
      throw new IllegalStateException(
          "--run-as "
              + user
              + ": no such user; create it (useradd --system --no-create-home --shell"
              + " /usr/sbin/nologin "
              + user
              + ")");
    }
    return new int[] {Integer.parseInt(fields[2]), Integer.parseInt(fields[3])};
  }

  private Path onPath(String program) {
    for (String dir : path) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    return null;
  }

  private static Path real(Path dir) {
    try {
      Files.createDirectories(dir);
      return dir.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + dir, e);
    }
  }

  private static int uid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }
}
