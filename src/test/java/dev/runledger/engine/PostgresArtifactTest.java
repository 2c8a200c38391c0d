package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresArtifactTest extends ArtifactContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
