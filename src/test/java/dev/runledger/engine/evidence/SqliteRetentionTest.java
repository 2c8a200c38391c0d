package dev.runledger.engine.evidence;

import dev.runledger.testing.StoreKind;

class SqliteRetentionTest extends RetentionContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
