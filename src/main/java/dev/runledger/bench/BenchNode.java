package dev.runledger.bench;

import dev.runledger.audit.AuditSealer;
import dev.runledger.engine.run.RunService;
import dev.runledger.store.Store;

/** What a bench mode needs of the node it measures: to start runs, read the store, seal. */
public record BenchNode(RunService runs, Store store, AuditSealer sealer) {
  String storeName() {
    return store.dialect().isSqlite() ? "sqlite" : "postgresql";
  }
}
