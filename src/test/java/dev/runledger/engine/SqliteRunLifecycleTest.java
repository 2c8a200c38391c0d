package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteRunLifecycleTest extends RunLifecycleContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
