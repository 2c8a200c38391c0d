package dev.runledger.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other nodes on one PostgreSQL database that jobs were queued, and this node when they
 * queue some: {@code NOTIFY} on one channel after a commit that queued jobs, {@code LISTEN} on a
 * connection of its own. An idle node then claims a job another node queued within milliseconds
 * instead of at its next poll; polling stays as the fallback (a lost connection reconnects with
 * backoff, and notifications missed meanwhile are caught by the poll). On SQLite (one node per
 * store) it does nothing.
 */
public final class JobSignals implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobSignals.class);
  static final String CHANNEL = "runledger_jobs";
  private static final long RECONNECT_MS = 1000;

  private final Database database;
  private final Semaphore queued = new Semaphore(0);
  private volatile boolean open = true;
  private volatile int senderPid = -1;
  private Thread sender;
  private Thread listener;

  private JobSignals(Database database) {
    this.database = database;
  }

  /** Signals over the store's database; nothing is sent or heard until {@link #start}. */
  public static JobSignals of(Store store) {
    return new JobSignals(store.database());
  }

  /**
   * Starts sending and listening (PostgreSQL only); {@code onQueued} runs for each signal heard.
   */
  public void start(Runnable onQueued) {
    if (database.dialect() != Dialect.POSTGRESQL) {
      return;
    }
    sender = daemon("runledger-notify", this::send);
    listener = daemon("runledger-listen", () -> listen(onQueued));
  }

  /** Jobs were queued and committed: tells the other nodes (coalesced; returns at once). */
  public void jobsQueued() {
    if (sender != null && queued.availablePermits() == 0) {
      queued.release();
    }
  }

  private void send() {
    while (open) {
      try (Connection c = database.openDedicated();
          Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          senderPid = rs.getInt(1);
        }
        while (open) {
          if (!queued.tryAcquire(1, TimeUnit.SECONDS)) {
            continue;
          }
          queued.drainPermits();
          st.execute("NOTIFY " + CHANNEL);
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        senderPid = -1;
        pause("sending job signals", e);
      }
    }
  }

  private void listen(Runnable onQueued) {
    while (open) {
      try (Connection c = database.openDedicated()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        // A signal may have been missed while not listening: look once.
        onQueued.run();
        while (open) {
          PGNotification[] heard = pg.getNotifications(1000);
          if (heard == null) {
            continue;
          }
          for (PGNotification n : heard) {
            if (n.getPID() != senderPid) {
              onQueued.run();
              break;
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        pause("listening for job signals", e);
      }
    }
  }

  private void pause(String what, Exception e) {
    if (!open) {
      return;
    }
    LOG.warn("{} failed ({}); polling meanwhile, reconnecting", what, e.getMessage());
    try {
      Thread.sleep(RECONNECT_MS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      open = false;
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void close() {
    open = false;
    for (Thread t : new Thread[] {sender, listener}) {
      if (t != null) {
        t.interrupt();
      }
    }
  }
}
