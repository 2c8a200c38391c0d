package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteGovernanceTest extends GovernanceContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
