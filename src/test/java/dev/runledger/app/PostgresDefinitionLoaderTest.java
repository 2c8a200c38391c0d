package dev.runledger.app;

import dev.runledger.testing.StoreKind;

class PostgresDefinitionLoaderTest extends DefinitionLoaderContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
