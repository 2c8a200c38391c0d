package dev.runledger.testing;

/** The two stores every store and engine test runs against. */
public enum StoreKind {
  SQLITE,
  POSTGRESQL
}
