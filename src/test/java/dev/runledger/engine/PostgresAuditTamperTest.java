package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresAuditTamperTest extends AuditTamperContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
