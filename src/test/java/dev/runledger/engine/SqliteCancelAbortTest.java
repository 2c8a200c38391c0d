package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class SqliteCancelAbortTest extends CancelAbortContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
