package dev.runledger.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code runledger serve} in a child JVM (the java process itself, so that {@link
 * #killHard()} is a {@code kill -9} of the server and nothing else), started on the test classpath.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("Runledger listening on (http://127\\.0\\.0\\.1:\\d+)");

  private final Process process;
  private final String url;
  private final StringBuffer output;
  private final Thread reader;

  private ServerProcess(Process process, String url, StringBuffer output, Thread reader) {
    this.process = process;
    this.url = url;
    this.output = output;
    this.reader = reader;
  }

  /**
   * Starts {@code serve --port 0 --data-dir dataDir [--db db]} plus {@code extraArgs} with the
   * admin token from {@link TestServer#ADMIN_TOKEN}; returns once it prints its listening line.
   */
  public static ServerProcess start(Path dataDir, String db, String... extraArgs) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.runledger.app.Main");
    command.add("serve");
    command.add("--port");
    command.add("0");
    command.add("--data-dir");
    command.add(dataDir.toString());
    if (db != null) {
      command.add("--db");
      command.add(db);
    }
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("RUNLEDGER_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
    builder.environment().put("RUNLEDGER_TRIGGER_RATE", "0");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CompletableFuture<String> listening = new CompletableFuture<>();
    StringBuffer output = new StringBuffer();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  output.append(line).append('\n');
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    listening.complete(m.group(1));
                  }
                }
              } catch (IOException e) {
                // the process went away
              }
              listening.completeExceptionally(
                  new IllegalStateException("the server exited before listening:\n" + output));
            },
            "server-process-output");
    reader.setDaemon(true);
    reader.start();
    try {
      String url = listening.get(60, TimeUnit.SECONDS);
      return new ServerProcess(process, url, output, reader);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start:\n" + output, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  public String url() {
    return url;
  }

  public long pid() {
    return process.pid();
  }

  public ApiClient admin() {
    return new ApiClient(url, TestServer.ADMIN_TOKEN);
  }

  public Process process() {
    return process;
  }

  /** {@code kill -9} of the server JVM; returns once it is gone. */
  public void killHard() {
    process.destroyForcibly();
    waitFor(10);
  }

  /** SIGTERM to the server JVM (it should stop claiming, let attempts finish and exit 0). */
  public void terminate() {
    // Through the handle: Process.destroy() would also close our end of its output.
    process.toHandle().destroy();
  }

  /** Waits for the exit; returns the exit code, or -1 if it is still running after the wait. */
  public int waitFor(long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        return -1;
      }
      reader.join(2000);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** What the server printed so far (standard output and error), for failure messages. */
  public String output() {
    return output.toString();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      waitFor(10);
    }
  }
}
