package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteAuditTamperTest extends AuditTamperContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
