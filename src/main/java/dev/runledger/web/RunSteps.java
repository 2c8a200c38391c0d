package dev.runledger.web;

import java.util.List;

/** A run's steps in order (the fragment a live stream sends again). */
public record RunSteps(List<RunPage.StepView> steps) {}
