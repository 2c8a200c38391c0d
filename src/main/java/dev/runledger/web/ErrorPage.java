package dev.runledger.web;

/** A page saying what went wrong; {@code chrome} is null when nobody is signed in. */
public record ErrorPage(Chrome chrome, int status, String title, String detail) {}
