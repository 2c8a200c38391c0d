package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteArtifactTest extends ArtifactContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
