package dev.runledger.api;

import dev.runledger.testing.StoreKind;

class PostgresListingTest extends ListingContract {
  @Override
  StoreKind store() {
    return StoreKind.POSTGRESQL;
  }
}
