package dev.runledger.store;

import dev.runledger.testing.StoreKind;

class SqliteJobQueueTest extends JobQueueContract {
  @Override
  StoreKind kind() {
    return StoreKind.SQLITE;
  }
}
