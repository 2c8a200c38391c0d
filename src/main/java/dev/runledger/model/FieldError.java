package dev.runledger.model;

/** One validation problem: the field path (dot and bracket notation) and what is wrong with it. */
public record FieldError(String field, String message) {}
