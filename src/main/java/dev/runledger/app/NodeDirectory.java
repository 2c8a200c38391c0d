package dev.runledger.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's data directory: its stable identity ({@code node-id}, kept across restarts) and an
 * exclusive lock held while the node runs. Holding the lock proves that no other live server uses
 * the directory, so whatever a previous server left in it (leases under its identity, commands
 * still running, working directories) belongs to a server that is gone and may be cleaned up. The
 * operating system releases the lock when the process dies, {@code kill -9} included.
 */
final class NodeDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeDirectory.class);
  private static final Pattern ID = Pattern.compile("[a-z0-9]{6,32}");

  private final String nodeId;
  private final FileChannel channel;
  private final FileLock lock;

  private NodeDirectory(String nodeId, FileChannel channel, FileLock lock) {
    this.nodeId = nodeId;
    this.channel = channel;
    this.lock = lock;
  }

  static NodeDirectory open(Path dataDir) {
    try {
      if (!Files.exists(dataDir)) {
        // Made here: the server's alone from the start.
        Files.createDirectories(dataDir);
        try {
          Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: nothing to set
        }
      }
      if (othersCanRead(dataDir)) {
        LOG.warn(
            "the data directory {} can be read by other users of this machine: it holds the"
                + " store, the secret key and the admin token; make it the server's alone (chmod"
                + " 700 {})",
            dataDir,
            dataDir);
      }
      FileChannel channel =
          FileChannel.open(
              dataDir.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        LOG.warn(
            "another server uses the data directory {}: leftovers of a previous run are not"
                + " cleaned up",
            dataDir);
      }
      return new NodeDirectory(nodeId(dataDir), channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the data directory " + dataDir, e);
    }
  }

  /** Whether users other than the owner (and its group) may list or enter the directory. */
  static boolean othersCanRead(Path dir) throws IOException {
    try {
      var perms = Files.getPosixFilePermissions(dir);
      return perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
          || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  private static String nodeId(Path dataDir) throws IOException {
    Path file = dataDir.resolve("node-id");
    if (Files.isRegularFile(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (ID.matcher(id).matches()) {
        return id;
      }
    }
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    return id;
  }

  /** Stable across restarts of a server on this directory. */
  String nodeId() {
    return nodeId;
  }

  /** True when this server holds the directory alone (no other live server uses it). */
  boolean exclusive() {
    return lock != null;
  }

  @Override
  public void close() {
    try {
      if (lock != null) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      LOG.debug("releasing the data directory lock failed", e);
    }
  }
}
