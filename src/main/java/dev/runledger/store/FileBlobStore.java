package dev.runledger.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Blobs as files: {@code <root>/sha256/ab/cdef...}, written to a temporary name, then moved; the
 * {@code blobs} row says whether they are kept.
 */
public final class FileBlobStore implements BlobStore {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private final Path root;
  private final Store store;
  private final Clock clock;

  public FileBlobStore(Path root, Store store, Clock clock) {
    this.root = root;
    this.store = store;
    this.clock = clock;
  }

  /** Where the bytes of a content live. */
  public Path path(String sha256) {
    String hex = sha256.startsWith("sha256:") ? sha256.substring(7) : sha256;
    if (!HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a SHA-256 digest: " + sha256);
    }
    return root.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex.substring(2));
  }

  @Override
  public void put(String sha256, long size, Path source) throws IOException {
    Path target = path(sha256);
    // Claimed in a write (serialized with retention's deleting transaction): either the claim
    // comes first and retention keeps the bytes, or retention deleted them first and they are
    // written again below and the row says present again.
    boolean kept = store.writeAndWait(tx -> tx.blobs().touch(sha256, clock.instant(), false));
    if (kept && Files.isRegularFile(target) && Files.size(target) == size) {
      return;
    }
    write(source, target);
    store.writeAndWait(
        tx -> {
          tx.blobs().stored(sha256, size, clock.instant());
          return null;
        });
  }

  private static void write(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
    try {
      Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public Optional<InputStream> open(String sha256) throws IOException {
    Path p = path(sha256);
    return Files.isRegularFile(p) ? Optional.of(Files.newInputStream(p)) : Optional.empty();
  }

  @Override
  public void delete(String sha256) throws IOException {
    Files.deleteIfExists(path(sha256));
  }
}
