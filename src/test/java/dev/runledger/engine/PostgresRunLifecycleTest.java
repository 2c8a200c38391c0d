package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresRunLifecycleTest extends RunLifecycleContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
