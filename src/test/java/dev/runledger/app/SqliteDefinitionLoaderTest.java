package dev.runledger.app;

import dev.runledger.testing.StoreKind;

class SqliteDefinitionLoaderTest extends DefinitionLoaderContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
