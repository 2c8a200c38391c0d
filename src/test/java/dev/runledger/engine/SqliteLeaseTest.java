package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteLeaseTest extends LeaseContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
