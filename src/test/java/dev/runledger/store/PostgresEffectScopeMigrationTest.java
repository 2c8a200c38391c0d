package dev.runledger.store;

import dev.runledger.testing.StoreKind;

class PostgresEffectScopeMigrationTest extends EffectScopeMigrationContract {
  @Override
  StoreKind kind() {
    return StoreKind.POSTGRESQL;
  }
}
