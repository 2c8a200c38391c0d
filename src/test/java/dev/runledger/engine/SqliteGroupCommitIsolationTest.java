package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteGroupCommitIsolationTest extends GroupCommitIsolationContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
