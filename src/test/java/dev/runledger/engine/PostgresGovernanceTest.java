package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresGovernanceTest extends GovernanceContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
