package dev.runledger.store;

import dev.runledger.testing.StoreKind;

class SqliteEffectScopeMigrationTest extends EffectScopeMigrationContract {
  @Override
  StoreKind kind() {
    return StoreKind.SQLITE;
  }
}
