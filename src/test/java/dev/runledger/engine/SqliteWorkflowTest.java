package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteWorkflowTest extends WorkflowContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
