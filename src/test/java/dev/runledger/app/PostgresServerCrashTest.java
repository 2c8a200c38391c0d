package dev.runledger.app;

import dev.runledger.testing.StoreKind;

class PostgresServerCrashTest extends ServerCrashContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
