package dev.runledger.executor;

import java.nio.file.Path;

/**
 * An output file a command left in its working directory, hashed by the executor; the engine stores
 * its bytes and records it as an artifact.
 *
 * @param name the normalised name relative to the working directory
 * @param path where the bytes are (inside the working directory, symlinks resolved)
 * @param sha256 {@code sha256:<hex>}
 */
public record ProducedFile(String name, Path path, String sha256, long size) {}
