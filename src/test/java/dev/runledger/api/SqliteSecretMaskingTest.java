package dev.runledger.api;

import dev.runledger.testing.StoreKind;

class SqliteSecretMaskingTest extends SecretMaskingContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
