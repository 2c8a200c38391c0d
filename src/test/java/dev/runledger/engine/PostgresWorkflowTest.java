package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresWorkflowTest extends WorkflowContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
