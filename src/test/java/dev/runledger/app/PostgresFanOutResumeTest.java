package dev.runledger.app;

import dev.runledger.testing.StoreKind;

class PostgresFanOutResumeTest extends FanOutResumeContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
