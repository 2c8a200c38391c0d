package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteReportTest extends ReportContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
