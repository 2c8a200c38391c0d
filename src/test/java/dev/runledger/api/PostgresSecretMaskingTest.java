package dev.runledger.api;

import dev.runledger.testing.StoreKind;

class PostgresSecretMaskingTest extends SecretMaskingContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
