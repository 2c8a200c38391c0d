package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresTriggersTest extends TriggersContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
