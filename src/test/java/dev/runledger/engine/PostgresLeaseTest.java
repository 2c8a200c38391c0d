package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresLeaseTest extends LeaseContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
