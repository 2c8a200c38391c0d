package dev.runledger.app;

import dev.runledger.engine.access.TokenService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The first admin token on a node without tokens (API.md "Server start"): the configured value, or
 * a generated one printed once and written to {@code <data-dir>/admin-token} with mode 0600.
 */
public final class AdminBootstrap {
  /** The file a generated token is written to, inside the data directory. */
  public static final String FILE = "admin-token";

  private AdminBootstrap() {}

  /**
   * Creates the first admin token if there is none.
   *
   * @param configured RUNLEDGER_ADMIN_TOKEN, or null to generate one
   * @return the file the generated token was written to, or empty if none was written
   */
  public static Optional<Path> run(
      TokenService tokens, String configured, Path dataDir, PrintWriter out) throws IOException {
    Optional<TokenService.Issued> issued = tokens.bootstrapAdmin(configured);
    if (issued.isEmpty() || configured != null) {
      return Optional.empty();
    }
    Path file = dataDir.resolve(FILE);
    Files.createDirectories(dataDir);
    Files.deleteIfExists(file);
    // created with 0600 at once, so the token is never readable by others, not even briefly
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, issued.get().value() + "\n", StandardCharsets.UTF_8);
    out.println("Created the first admin token (shown once; also in " + file + "):");
    out.println("  " + issued.get().value());
    out.flush();
    return Optional.of(file);
  }
}
