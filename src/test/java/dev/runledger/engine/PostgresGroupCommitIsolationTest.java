package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresGroupCommitIsolationTest extends GroupCommitIsolationContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
