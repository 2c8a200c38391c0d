package dev.runledger.app;

import dev.runledger.testing.StoreKind;

class SqliteServerCrashTest extends ServerCrashContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
