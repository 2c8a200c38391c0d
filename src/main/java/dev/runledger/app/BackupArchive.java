package dev.runledger.app;

import dev.runledger.store.SqliteSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A backup of an embedded store as one zip file: the database (a consistent snapshot), the secret
 * key that opens its secrets, and the artifact contents. A restore takes only these three kinds of
 * entry, by their exact names, into an empty data directory; anything else in the file refuses it.
 */
final class BackupArchive {
  static final String DB = SqliteSnapshot.FILE;
  static final String KEY = SecretKeys.FILE;
  private static final Pattern BLOB = Pattern.compile("blobs/sha256/[0-9a-f]{2}/[0-9a-f]{62}");

  private BackupArchive() {}

  /** What a backup holds: how many artifact contents besides the database and the key. */
  record Summary(long blobs, long bytes) {}

  /**
   * Writes a backup of the store in {@code dataDir} to {@code to} (which must not exist), mode
   * 0600: it holds the secret key.
   */
  static Summary write(Path dataDir, Path to) throws IOException {
    if (Files.exists(to)) {
      throw new IllegalArgumentException(to + " exists already: a backup never overwrites a file");
    }
    Path parent = to.toAbsolutePath().getParent();
    Path snapshot = Files.createTempFile(parent, ".runledger-backup-", ".db");
    Files.delete(snapshot);
    Path partial = Files.createTempFile(parent, ".runledger-backup-", ".zip.partial");
    try {
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
      // The database first: every artifact its rows name was stored before the rows committed,
      // so the contents copied after it include all of them.
      SqliteSnapshot.copy(dataDir, snapshot);
      long blobs = 0;
      long bytes = 0;
      try (OutputStream out = Files.newOutputStream(partial);
          ZipOutputStream zip = new ZipOutputStream(out)) {
        put(zip, DB, snapshot);
        Path key = dataDir.resolve(KEY);
        if (Files.isRegularFile(key)) {
          put(zip, KEY, key);
        }
        Path root = dataDir.resolve("blobs");
        if (Files.isDirectory(root)) {
          List<Path> files;
          try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
          }
          for (Path f : files) {
            String name = "blobs/" + root.relativize(f).toString().replace('\\', '/');
            if (BLOB.matcher(name).matches()) {
              put(zip, name, f);
              blobs++;
              bytes += Files.size(f);
            }
          }
        }
      }
      Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
      return new Summary(blobs, bytes);
    } finally {
      Files.deleteIfExists(snapshot);
      Files.deleteIfExists(partial);
    }
  }

  private static void put(ZipOutputStream zip, String name, Path file) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    Files.copy(file, zip);
    zip.closeEntry();
  }

  /**
   * Restores a backup into {@code dataDir}, which must be empty or not exist.
   *
   * @throws IllegalArgumentException when the directory holds something, or the file is not a
   *     Runledger backup
   */
  static Summary restore(Path from, Path dataDir) throws IOException {
    if (!Files.isRegularFile(from)) {
      throw new IllegalArgumentException("no backup file " + from);
    }
    if (Files.isDirectory(dataDir)) {
      try (Stream<Path> entries = Files.list(dataDir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              dataDir + " is not empty: restore into a new data directory");
        }
      }
    }
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    try {
      return unpack(from, dataDir);
    } catch (IOException | RuntimeException e) {
      // The directory was empty: leave it so, not half restored.
      Runledger.deleteContents(dataDir);
      throw e;
    }
  }

  private static Summary unpack(Path from, Path dataDir) throws IOException {
    boolean sawDb = false;
    long blobs = 0;
    long bytes = 0;
    try (InputStream in = Files.newInputStream(from);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        String name = e.getName();
        boolean blob = BLOB.matcher(name).matches();
        if (!name.equals(DB) && !name.equals(KEY) && !blob) {
          throw new IllegalArgumentException(
              from + " is not a Runledger backup: unexpected entry '" + name + "'");
        }
        Path target = dataDir.resolve(name);
        Files.createDirectories(target.getParent());
        Files.copy(zip, target);
        if (name.equals(KEY)) {
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        }
        sawDb |= name.equals(DB);
        if (blob) {
          blobs++;
          bytes += Files.size(target);
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw new IllegalArgumentException(from + " is not a Runledger backup: " + e.getMessage());
    }
    if (!sawDb) {
      throw new IllegalArgumentException(from + " is not a Runledger backup: it holds no " + DB);
    }
    return new Summary(blobs, bytes);
  }
}
