package dev.runledger.api;

import dev.runledger.testing.StoreKind;

class PostgresApiSecurityTest extends ApiSecurityContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
