package dev.runledger.engine.run;

import dev.runledger.model.RunStatus;
import dev.runledger.model.TaskStatus;

/**
 * Told of each status a run or a task moves to, once the transaction that moved it has committed
 * (so a unit of work that runs twice is told once): for metrics. Called on the writer's thread: it
 * must return at once.
 */
public interface StatusObserver {
  StatusObserver NONE =
      new StatusObserver() {
        @Override
        public void runMoved(RunStatus to) {}

        @Override
        public void taskMoved(TaskStatus to) {}
      };

  void runMoved(RunStatus to);

  void taskMoved(TaskStatus to);
}
