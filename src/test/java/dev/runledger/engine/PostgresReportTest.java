package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresReportTest extends ReportContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
