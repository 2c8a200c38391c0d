package dev.runledger.store;

import dev.runledger.testing.StoreKind;

class PostgresJobQueueTest extends JobQueueContract {
  @Override
  StoreKind kind() {
    return StoreKind.POSTGRESQL;
  }
}
