package dev.runledger.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How command attempts are kept away from the server (docs/security.md): in a bubblewrap sandbox
 * ({@code sandbox}), as another, unprivileged user ({@code user}), or not at all ({@code none}).
 * Either way a command cannot read the server's memory, environment or data directory: in the
 * sandbox its /proc shows only its own processes and the data directory is an empty tmpfs; as
 * another user the kernel refuses /proc/&lt;server&gt;/environ and the 0700 data directory.
 */
public final class CommandIsolation {
  /** The isolation modes, by their {@code --isolation} names. */
  public enum Mode {
    SANDBOX,
    USER,
    NONE;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Mode mode;
  private final List<String> prefix;
  private final List<Path> hidden;
  private final List<Path> writable;
  private final int uid;
  private final int gid;
  private final String user;

  private CommandIsolation(
      Mode mode,
      List<String> prefix,
      List<Path> hidden,
      List<Path> writable,
      int uid,
      int gid,
      String user) {
    this.mode = mode;
    this.prefix = List.copyOf(prefix);
    this.hidden = List.copyOf(hidden);
    this.writable = List.copyOf(writable);
    this.uid = uid;
    this.gid = gid;
    this.user = user;
  }

  /** Commands run as the server's own user and see what it sees. */
  public static CommandIsolation none() {
    return new CommandIsolation(Mode.NONE, List.of(), List.of(), List.of(), -1, -1, null);
  }

  /**
   * Commands run in a bubblewrap sandbox: own PID and IPC namespaces with a private /proc, no
   * capabilities, the file system read-only except the attempt's working directory and {@code
   * writable} (such as /tmp), the {@code hidden} directories (the data directory) replaced by an
   * empty tmpfs, ended with the server.
   */
  public static CommandIsolation sandbox(Path bwrap, List<Path> hidden, List<Path> writable) {
    List<String> prefix = new ArrayList<>();
    prefix.add(bwrap.toString());
    prefix.addAll(
        List.of(
            "--die-with-parent",
            "--new-session",
            "--unshare-pid",
            "--unshare-ipc",
            "--cap-drop",
            "ALL",
            "--ro-bind",
            "/",
            "/",
            "--dev",
            "/dev",
            "--proc",
            "/proc"));
    return new CommandIsolation(Mode.SANDBOX, prefix, hidden, writable, -1, -1, null);
  }

  /**
   * Commands run as {@code user} ({@code uid}:{@code gid}) through setpriv, without supplementary
   * groups, capabilities or the means to gain privileges (no setuid programs); the attempt's
   * working directory is given to that user.
   */
  public static CommandIsolation user(Path setpriv, String user, int uid, int gid) {
    List<String> prefix =
        List.of(
            setpriv.toString(),
            "--reuid=" + uid,
            "--regid=" + gid,
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
            "--");
    return new CommandIsolation(Mode.USER, prefix, List.of(), List.of(), uid, gid, user);
  }

  /**
   * Why the sandbox cannot run here (bwrap fails: no user namespaces for an unprivileged server, a
   * container that forbids them), or null when it can: runs {@code true} in it once.
   */
  public static String sandboxProblem(Path bwrap) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<String> argv =
        sandbox(bwrap, List.of(), List.of()).launch(List.of("/bin/sh", "-c", "exit 0"), tmp);
    try {
      ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
      builder.environment().clear();
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = builder.start();
      String out;
      try (java.io.InputStream in = p.getInputStream()) {
        out = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8).strip();
      }
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return bwrap + " did not finish within 10 s";
      }
      return p.exitValue() == 0 ? null : bwrap + " fails here (exit " + p.exitValue() + "): " + out;
    } catch (IOException e) {
      return "cannot run " + bwrap + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while trying " + bwrap;
    }
  }

  public Mode mode() {
    return mode;
  }

  /** What the mode is, for the server log. */
  public String describe() {
    return switch (mode) {
      case SANDBOX ->
          "sandbox (bubblewrap: private /proc, read-only system, hidden "
              + hidden
              + ", writable "
              + writable
              + " and the attempt's directory)";
      case USER -> "user (commands run as " + user + ", uid " + uid + ")";
      case NONE -> "none (commands run as the server's own user and can read its data directory)";
    };
  }

  /** The argv that starts {@code command} (program and arguments) in a work directory. */
  List<String> launch(List<String> command, Path workDir) {
    List<String> argv = new ArrayList<>(prefix);
    if (mode == Mode.SANDBOX) {
      for (Path dir : writable) {
        if (Files.isDirectory(dir)) {
          argv.addAll(List.of("--bind", dir.toString(), dir.toString()));
        }
      }
      for (Path dir : hidden) {
        argv.addAll(List.of("--tmpfs", dir.toString()));
      }
      String work = workDir.toAbsolutePath().toString();
      argv.addAll(List.of("--bind", work, work, "--chdir", work, "--"));
    }
    argv.addAll(command);
    return argv;
  }

  /**
   * Readies the working directory and environment: as another user, the directory and everything in
   * it (script, input files) become that user's, and HOME is the directory.
   */
  void prepare(Path workDir, Map<String, String> environment) throws IOException {
    if (mode != Mode.USER) {
      return;
    }
    try (Stream<Path> paths = Files.walk(workDir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      }
    }
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));
    environment.put("HOME", workDir.toString());
  }

  /**
   * Whether ending the launched process ends everything inside (the sandbox: its PID namespace goes
   * with it), so that an abort signals the command's processes and not the sandbox's.
   */
  boolean ownsProcessTree() {
    return mode == Mode.SANDBOX;
  }
}
