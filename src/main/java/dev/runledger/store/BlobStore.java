package dev.runledger.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Content-addressed bytes of artifacts, keyed by {@code sha256:<hex>}: a directory on the embedded
 * store ({@code <data-dir>/blobs/sha256/ab/cdef...}), the database on PostgreSQL so that every node
 * reads what any node stored. Storing the same content twice keeps one copy.
 */
public interface BlobStore {
  /**
   * Stores the bytes of {@code source}, whose digest the caller computed, unless present, and
   * records the content as present (a content pruned earlier is present again). Claims the content
   * in a write transaction first, so that retention pruning it at the same moment cannot delete the
   * bytes this store relies on.
   */
  void put(String sha256, long size, Path source) throws IOException;

  /** The bytes, or empty when never stored or pruned. */
  Optional<InputStream> open(String sha256) throws IOException;

  /**
   * Deletes the bytes (retention, orphan sweep). Called once the transaction that marks them gone
   * has committed, on the writer: it must not use the store.
   */
  void delete(String sha256) throws IOException;

  /** The store for this database: files under {@code dataDir} for SQLite, the database else. */
  static BlobStore forStore(Store store, Path dataDir, Clock clock) {
    return store.dialect().isSqlite()
        ? new FileBlobStore(dataDir.resolve("blobs"), store, clock)
        : new DatabaseBlobStore(store, clock);
  }
}
