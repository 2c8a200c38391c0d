package dev.runledger.api;

import dev.runledger.testing.StoreKind;

class SqliteListingTest extends ListingContract {
  @Override
  StoreKind store() {
    return StoreKind.SQLITE;
  }
}
