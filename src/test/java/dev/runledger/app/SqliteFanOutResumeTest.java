package dev.runledger.app;

import dev.runledger.testing.StoreKind;

class SqliteFanOutResumeTest extends FanOutResumeContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
