package dev.runledger.engine;

import dev.runledger.testing.StoreKind;

class PostgresCancelAbortTest extends CancelAbortContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
