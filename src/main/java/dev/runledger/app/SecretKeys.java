package dev.runledger.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key secrets are encrypted under: {@code RUNLEDGER_SECRET_KEY} (base64 of 32 bytes) when set,
 * otherwise {@code <data-dir>/secret.key}, made on first start with mode 0600. Every node sharing a
 * PostgreSQL database needs the same key.
 */
final class SecretKeys {
  static final String FILE = "secret.key";

  private SecretKeys() {}

  static byte[] load(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return decode(configured.trim(), "RUNLEDGER_SECRET_KEY");
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(dataDir);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
          Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
          return decode(Files.readString(file).trim(), file.toString());
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
        return key;
      }
      return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret key " + file, e);
    }
  }

  private static byte[] decode(String text, String where) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " is not base64: " + e.getMessage());
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          where + " must hold 32 bytes (base64 of a 256-bit key); it holds " + key.length);
    }
    return key;
  }
}
