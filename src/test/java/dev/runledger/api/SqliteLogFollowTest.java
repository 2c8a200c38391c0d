package dev.runledger.api;

import dev.runledger.testing.StoreKind;

class SqliteLogFollowTest extends LogFollowContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
