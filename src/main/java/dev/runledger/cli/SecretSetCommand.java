package dev.runledger.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger secrets set NAME}: sets a secret from {@code --value} or standard input. */
@Command(
    name = "set",
    description =
        "Set a secret. The value comes from --value or, safer (it stays out of the shell's"
            + " history), from standard input.")
final class SecretSetCommand extends ScopedCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Secret name.")
  String name;

  @Option(names = "--value", paramLabel = "VALUE", description = "The value (default: stdin).")
  String value;

  private final InputStream stdin;

  SecretSetCommand(ClientEnvironment env, InputStream stdin) {
    super(env);
    this.stdin = stdin;
  }

  @Override
  int run(RunledgerClient client) {
    String v = value != null ? value : readStdin();
    if (v.isEmpty()) {
      throw new UsageException("the secret's value is empty: pass --value or pipe it on stdin");
    }
    int status =
        client
            .put("/api/secrets/" + name, null, Json.write(Map.of("value", v)), "application/json")
            .status();
    out().println((status == 201 ? "created" : "updated") + " secret " + name);
    return 0;
  }

  private String readStdin() {
    try {
      String text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      // a value piped with echo ends in a newline that is not part of it
      return text.endsWith("\r\n")
          ? text.substring(0, text.length() - 2)
          : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
