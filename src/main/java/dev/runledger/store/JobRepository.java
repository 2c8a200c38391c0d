package dev.runledger.store;

import dev.runledger.model.Job;
import dev.runledger.model.JobState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The queue: one job per task, claimed with a lease and fenced by owner and attempt. */
public final class JobRepository {
  private final Handle h;
  private final Dialect dialect;
  private final PendingWrites later;

  JobRepository(Handle h, Dialect dialect, PendingWrites later) {
    this.h = h;
    this.dialect = dialect;
    this.later = later;
  }

  public void insertAll(List<Job> jobs) {
    if (jobs.isEmpty()) {
      return;
    }
    Sql.Stmt batch =
        Sql.of(
                "INSERT INTO jobs (id, project, run_id, task_name, state, priority, available_at,"
                    + " attempt, created_at, updated_at, inline) VALUES (:id, :project, :run, :task,"
                    + " :state, :priority, :available, :attempt, :created, :created, :inline)")
            .on(h, later, 0);
    for (Job j : jobs) {
      batch
          .str("id", j.id())
          .str("project", j.project())
          .str("run", j.runId())
          .str("task", j.taskName())
          .str("state", j.state().wire())
          .integer("priority", j.priority())
          .lng("available", Micros.of(j.availableAt()))
          .integer("attempt", j.attempt())
          .lng("created", Micros.of(j.createdAt()))
          .integer("inline", j.inline() ? 1 : 0)
          .add();
    }
    batch.executeBatch();
  }

  /**
   * Leases up to {@code limit} available jobs to {@code owner}. A job coming back from a durable
   * timer keeps its attempt number; any other claim starts the next attempt.
   */
  public List<Job> claim(String owner, int limit, Instant now, Instant leaseUntil) {
    List<Job> jobs = new ArrayList<>(claim(false, owner, limit, now, leaseUntil));
    if (jobs.size() < limit) {
      jobs.addAll(claim(true, owner, limit - jobs.size(), now, leaseUntil));
    }
    return jobs;
  }

  /**
   * Leases up to {@code limit} available worker jobs to {@code owner} and takes up to {@code
   * inlineLimit} available inline jobs ({@link Job#inline()}, see {@link #take}): the worker jobs
   * first.
   */
  public List<Job> claim(
      String owner, int limit, int inlineLimit, Instant now, Instant leaseUntil) {
    List<Job> jobs = new ArrayList<>(claim(false, owner, limit, now, leaseUntil));
    jobs.addAll(take(owner, inlineLimit, now, leaseUntil));
    return jobs;
  }

  /**
   * Takes available inline jobs to run and end in this transaction, without writing a lease that
   * the same transaction would overwrite: they are returned as a claim would lease them (to {@code
   * owner}, with their next attempt), and the caller writes each one's end with {@link #finish(Job,
   * Instant)} or {@link #requeue(Job, Instant, Instant)}, or leases it with {@link #lease}. On
   * PostgreSQL they stay locked, and other nodes skip them, until the transaction ends.
   */
  private List<Job> take(String owner, int limit, Instant now, Instant leaseUntil) {
    if (limit <= 0) {
      return List.of();
    }
    return Sql.of(dialect.takeInlineJobs())
        .on(h)
        .integer("limit", limit)
        .lng("now", Micros.of(now))
        .list(JobRepository::map)
        .stream()
        .map(
            j ->
                new Job(
                    j.id(),
                    j.project(),
                    j.runId(),
                    j.taskName(),
                    JobState.LEASED,
                    j.priority(),
                    j.availableAt(),
                    j.timerDue() == null ? j.attempt() + 1 : j.attempt(),
                    owner,
                    leaseUntil,
                    now,
                    j.timerDue(),
                    j.progressPercent(),
                    j.progressMessage(),
                    j.abortRequested(),
                    j.createdAt(),
                    now,
                    j.inline()))
        .toList();
  }

  /** Writes the lease of a job {@link #take taken} in this transaction, for a worker to run it. */
  public void lease(Job taken) {
    Sql.of(
            "UPDATE jobs SET state = 'leased', lease_owner = :owner, lease_expires_at = :until,"
                + " heartbeat_at = :now, updated_at = :now, attempt = :attempt WHERE id = :id")
        .on(h)
        .str("id", taken.id())
        .str("owner", taken.leaseOwner())
        .lng("until", Micros.of(taken.leaseExpiresAt()))
        .lng("now", Micros.of(taken.heartbeatAt()))
        .integer("attempt", taken.attempt())
        .execute();
  }

  private List<Job> claim(
      boolean inline, String owner, int limit, Instant now, Instant leaseUntil) {
    if (limit <= 0) {
      return List.of();
    }
    return Sql.of(dialect.claimJobs(inline))
        .on(h)
        .str("owner", owner)
        .integer("limit", limit)
        .lng("now", Micros.of(now))
        .lng("leaseUntil", Micros.of(leaseUntil))
        .list(JobRepository::map);
  }

  /** Extends the leases {@code owner} holds; returns the ids of those whose abort was requested. */
  public List<String> heartbeat(String owner, List<String> ids, Instant now, Instant leaseUntil) {
    if (ids.isEmpty()) {
      return List.of();
    }
    h.createUpdate(
            "UPDATE jobs SET lease_expires_at = :until, heartbeat_at = :now WHERE id IN (<ids>)"
                + " AND lease_owner = :owner AND state = 'leased'")
        .bindList("ids", ids)
        .bind("owner", owner)
        .bind("now", Micros.of(now))
        .bind("until", Micros.of(leaseUntil))
        .execute();
    return h.createQuery("SELECT id FROM jobs WHERE id IN (<ids>) AND abort_requested = 1")
        .bindList("ids", ids)
        .mapTo(String.class)
        .list();
  }

  /**
   * True if {@code owner} still holds the lease of this attempt: the fence that keeps a worker
   * whose lease expired from recording an outcome over the new holder.
   */
  public boolean holds(String jobId, String owner, int attempt) {
    return Sql.of(
                "SELECT COUNT(*) FROM jobs WHERE id = :id AND state = 'leased'"
                    + " AND lease_owner = :owner AND attempt = :attempt")
            .on(h)
            .str("id", jobId)
            .str("owner", owner)
            .integer("attempt", attempt)
            .one(rs -> rs.getInt(1))
            .orElse(0)
        == 1;
  }

  /** Marks the job done with the attempt it ran (a job {@link #take taken} was not leased). */
  public void finish(Job job, Instant now) {
    Sql.of(
            "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires_at = NULL,"
                + " timer_due = NULL, attempt = :attempt, updated_at = :now WHERE id = :id")
        .on(h, later, 1)
        .str("id", job.id())
        .integer("attempt", job.attempt())
        .lng("now", Micros.of(now))
        .execute();
  }

  /**
   * Puts a job that ran an attempt back in the queue, available at {@code availableAt}, keeping the
   * attempt it ran (a job {@link #take taken} was not leased).
   */
  public void requeue(Job job, Instant availableAt, Instant now) {
    Sql.of(
            "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL,"
                + " available_at = :available, timer_due = NULL, attempt = :attempt,"
                + " updated_at = :now WHERE id = :id")
        .on(h)
        .str("id", job.id())
        .lng("available", Micros.of(availableAt))
        .integer("attempt", job.attempt())
        .lng("now", Micros.of(now))
        .execute();
  }

  /** Marks the job done. */
  public void finish(String jobId, Instant now) {
    Sql.of(
            "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires_at = NULL,"
                + " timer_due = NULL, updated_at = :now WHERE id = :id")
        .on(h, later, 1)
        .str("id", jobId)
        .lng("now", Micros.of(now))
        .execute();
  }

  /**
   * Puts the job back in the queue, available at {@code availableAt}. With {@code timerDue} set the
   * same attempt resumes then (a durable timer); otherwise the next claim is a new attempt.
   */
  public void requeue(String jobId, Instant availableAt, Instant timerDue, Instant now) {
    h.createUpdate(
            "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL,"
                + " available_at = :available, timer_due = :timer, updated_at = :now WHERE id = :id")
        .bind("id", jobId)
        .bind("available", Micros.of(availableAt))
        .bind("timer", Micros.of(timerDue))
        .bind("now", Micros.of(now))
        .execute();
  }

  /**
   * Marks done a job that waits on a durable timer, if it still does (not claimed since); true if
   * it did.
   */
  public boolean endTimer(String jobId, Instant now) {
    return h.createUpdate(
                "UPDATE jobs SET state = 'done', timer_due = NULL, updated_at = :now"
                    + " WHERE id = :id AND state = 'queued' AND timer_due IS NOT NULL")
            .bind("id", jobId)
            .bind("now", Micros.of(now))
            .execute()
        == 1;
  }

  /** Resets a done job for a manual retry (the next claim is a new attempt). */
  public void reopen(String jobId, Instant now) {
    h.createUpdate(
            "UPDATE jobs SET state = 'queued', available_at = :now, abort_requested = 0,"
                + " progress_percent = NULL, progress_message = NULL, updated_at = :now"
                + " WHERE id = :id")
        .bind("id", jobId)
        .bind("now", Micros.of(now))
        .execute();
  }

  public void progress(String jobId, String owner, int percent, String message, Instant now) {
    h.createUpdate(
            "UPDATE jobs SET progress_percent = :p, progress_message = :m, updated_at = :now"
                + " WHERE id = :id AND lease_owner = :owner")
        .bind("id", jobId)
        .bind("owner", owner)
        .bind("p", percent)
        .bind("m", message)
        .bind("now", Micros.of(now))
        .execute();
  }

  /** Asks the holders of the run's leased jobs to abort them. */
  public List<Job> requestAbort(String runId, Instant now) {
    h.createUpdate(
            "UPDATE jobs SET abort_requested = 1, updated_at = :now"
                + " WHERE run_id = :run AND state = 'leased'")
        .bind("run", runId)
        .bind("now", Micros.of(now))
        .execute();
    return h.createQuery("SELECT * FROM jobs WHERE run_id = :run AND abort_requested = 1")
        .bind("run", runId)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** Leased jobs whose lease ran out before {@code now} (their worker is lost). */
  public List<Job> expired(Instant now, int limit) {
    return h.createQuery(
            "SELECT * FROM jobs WHERE state = 'leased' AND lease_expires_at < :now"
                + " ORDER BY id LIMIT :limit")
        .bind("now", Micros.of(now))
        .bind("limit", limit)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** Every leased job, whoever holds it (used at start on the embedded store: all are lost). */
  public List<Job> leased(int limit) {
    return h.createQuery("SELECT * FROM jobs WHERE state = 'leased' ORDER BY id LIMIT :limit")
        .bind("limit", limit)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /**
   * Leased jobs whose owner contains {@code ownerPart} (a node's identity, whatever its host name
   * and incarnation), by id.
   */
  public List<Job> leasedBy(String ownerPart, int limit) {
    return h.createQuery(
            "SELECT * FROM jobs WHERE state = 'leased' AND lease_owner LIKE :pattern"
                + " ORDER BY id LIMIT :limit")
        .bind("pattern", "%" + ownerPart + "%")
        .bind("limit", limit)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  public Optional<Job> forTask(String runId, String taskName) {
    return h.createQuery("SELECT * FROM jobs WHERE run_id = :run AND task_name = :task")
        .bind("run", runId)
        .bind("task", taskName)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** Jobs in one state (or all not done when null), by id, after {@code afterId}. */
  public List<Job> list(String project, JobState state, String afterId, int limit) {
    String where = state == null ? "state <> 'done'" : "state = :state";
    var q =
        h.createQuery(
                "SELECT * FROM jobs WHERE project = :project AND "
                    + where
                    + " AND id > :after ORDER BY id LIMIT :limit")
            .bind("project", project)
            .bind("after", afterId == null ? "" : afterId)
            .bind("limit", limit);
    if (state != null) {
      q.bind("state", state.wire());
    }
    return q.map((rs, ctx) -> map(rs)).list();
  }

  /** The queue now: how many jobs are queued and leased, and since when the oldest queued waits. */
  public record Depth(long queued, long leased, Instant oldestQueued) {}

  /** The queue now (both counts walk the partial indexes of queued and leased jobs). */
  public Depth depth() {
    long queued =
        h.createQuery("SELECT COUNT(*) FROM jobs WHERE state = 'queued'").mapTo(Long.class).one();
    long leased =
        h.createQuery("SELECT COUNT(*) FROM jobs WHERE state = 'leased'").mapTo(Long.class).one();
    Instant oldest =
        h.createQuery("SELECT MIN(available_at) AS at FROM jobs WHERE state = 'queued'")
            .map((rs, ctx) -> Rows.instant(rs, "at"))
            .one();
    return new Depth(queued, leased, oldest);
  }

  /** The earliest time a queued job becomes available, if any. */
  public Optional<Instant> nextAvailable() {
    return h.createQuery("SELECT MIN(available_at) AS next_at FROM jobs WHERE state = 'queued'")
        .map((rs, ctx) -> Optional.ofNullable(Rows.instant(rs, "next_at")))
        .one();
  }

  static Job map(ResultSet rs) throws SQLException {
    return new Job(
        rs.getString("id"),
        rs.getString("project"),
        rs.getString("run_id"),
        rs.getString("task_name"),
        JobState.fromWire(rs.getString("state")),
        rs.getInt("priority"),
        Rows.instant(rs, "available_at"),
        rs.getInt("attempt"),
        rs.getString("lease_owner"),
        Rows.instant(rs, "lease_expires_at"),
        Rows.instant(rs, "heartbeat_at"),
        Rows.instant(rs, "timer_due"),
        Rows.integer(rs, "progress_percent"),
        rs.getString("progress_message"),
        rs.getInt("abort_requested") != 0,
        Rows.instant(rs, "created_at"),
        Rows.instant(rs, "updated_at"),
        rs.getInt("inline") != 0);
  }
}
