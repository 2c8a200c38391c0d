package dev.runledger.api;

import dev.runledger.testing.StoreKind;

class PostgresLogFollowTest extends LogFollowContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
