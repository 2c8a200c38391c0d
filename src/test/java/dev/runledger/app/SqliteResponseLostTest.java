package dev.runledger.app;

import dev.runledger.testing.StoreKind;

class SqliteResponseLostTest extends ResponseLostContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
