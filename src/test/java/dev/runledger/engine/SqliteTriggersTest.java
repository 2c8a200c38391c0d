package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteTriggersTest extends TriggersContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
