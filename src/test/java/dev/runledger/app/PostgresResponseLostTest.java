package dev.runledger.app;

import dev.runledger.testing.StoreKind;

class PostgresResponseLostTest extends ResponseLostContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
