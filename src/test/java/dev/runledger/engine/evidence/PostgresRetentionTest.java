package dev.runledger.engine.evidence;

import dev.runledger.testing.StoreKind;

class PostgresRetentionTest extends RetentionContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
