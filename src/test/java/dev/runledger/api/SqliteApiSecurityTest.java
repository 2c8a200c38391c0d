package dev.runledger.api;

import dev.runledger.testing.StoreKind;

class SqliteApiSecurityTest extends ApiSecurityContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
