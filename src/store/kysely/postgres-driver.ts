import type { Socket } from "node:net";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import type pg from "pg";
import { isDeferrable, statementName } from "./prepared.js";

/**
 * Kysely's PostgreSQL driver, reshaped so that a transaction costs one round trip when it can.
 * On a pool of pipelining clients (`pipeline: true`), a transaction here:
 * - sends BEGIN with its first statement instead of waiting for BEGIN's answer on its own;
 * - holds the writes `prepared(…, { deferrable: true })` marks and sends them, without waiting
 *   for them, together with the next statement that is waited on or with COMMIT: their result
 *   is never read, and a failure surfaces when the transaction commits (PostgreSQL aborts the
 *   transaction, so COMMIT rolls everything back) or at the next statement waited on;
 * - writes what it sends together in one system call (the socket is corked around it), so
 *   BEGIN, the writes and COMMIT travel as one pipeline in one packet, and PostgreSQL reads them
 *   at once.
 * The hot queries (`prepared`) run as named prepared statements, parsed and planned once per
 * connection instead of on every call.
 *
 * Requests share connections where nothing is waited on in between: the hot statements run
 * outside a transaction, and transactions whose every statement was held until COMMIT, go out
 * on a few shared pipelined clients ("lanes", `SharedPipeline`), many requests' statements in
 * one socket write per event-loop turn. A connection of its own is taken from the pool only by
 * a transaction that waits on a statement mid-way, or for anything that is not a hot statement.
 */
/** node-postgres's per-connection record of the statements it has prepared (not in its types). */
interface PreparedCache {
  parsedStatements?: Record<string, string>;
  submittedNamedStatements?: Record<string, string>;
}

/** node-postgres's socket under a client (not in its types). */
function socketOf(client: pg.PoolClient): Partial<Socket> | undefined {
  return (client as unknown as { connection?: { stream?: Partial<Socket> } }).connection?.stream;
}

/** PostgreSQL refusing a prepared statement whose table changed shape since it was prepared. */
export function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "0A000" && typeof message === "string" && message.includes("cached plan");
}

/**
 * A statement that commits without waiting for the disk (`set_config('synchronous_commit',
 * 'off', true)`, counted-ceremonies.ts): its own transaction only, never a caller's.
 */
function isAsyncCommit(sql: string): boolean {
  return sql.includes("set_config('synchronous_commit'");
}

function send(client: pg.PoolClient, query: CompiledQuery): Promise<pg.QueryResult> {
  const name = statementName(query.sql);
  const values = [...query.parameters];
  return name === undefined
    ? client.query(query.sql, values)
    : client.query({ name, text: query.sql, values });
}

/** Deallocates a connection's prepared statements, so that each is prepared anew. */
async function forgetStatements(client: pg.PoolClient): Promise<void> {
  const deallocated = client.query("deallocate all");
  // Forgotten as the DEALLOCATE is sent, not once it is answered: on a shared pipeline, a
  // statement sent meanwhile goes out behind it and must prepare itself again.
  const connection = (client as unknown as { connection?: PreparedCache }).connection;
  if (connection?.parsedStatements) connection.parsedStatements = {};
  if (connection?.submittedNamedStatements) connection.submittedNamedStatements = {};
  await deallocated;
}

function resultOf<R>({ command, rowCount, rows }: pg.QueryResult): QueryResult<R> {
  return {
    numAffectedRows:
      command === "INSERT" || command === "UPDATE" || command === "DELETE" || command === "MERGE"
        ? BigInt(rowCount ?? 0)
        : undefined,
    rows: (rows ?? []) as R[],
  };
}

/** What one event-loop turn sent on a lane, and how much of it is still unanswered. */
interface Batch {
  sentAt: number;
  pending: number;
}

/** One pool client of the shared pipeline (below), borrowed on first use and after it broke. */
class Lane {
  /** The batches sent and not yet known to be answered, oldest first. */
  #batches: Batch[] = [];
  #client: pg.PoolClient | undefined;
  #connecting: Promise<pg.PoolClient> | undefined;
  #corked = false;

  constructor(readonly pool: pg.Pool) {}

  /** The lane's client, its writes held until this event-loop turn ends. */
  async client(): Promise<pg.PoolClient> {
    const client = this.#client ?? (await this.#connect());
    this.#cork(client);
    return client;
  }

  #connect(): Promise<pg.PoolClient> {
    this.#connecting ??= this.pool.connect().then(
      (client) => {
        this.#connecting = undefined;
        this.#client = client;
        const broken = () => this.drop(client);
        client.once("error", broken);
        client.once("end", broken);
        return client;
      },
      (error: unknown) => {
        this.#connecting = undefined;
        throw error;
      },
    );
    return this.#connecting;
  }

  /** Holds the socket's writes until this event-loop turn ends, then sends them in one. */
  #cork(client: pg.PoolClient): void {
    if (this.#corked) return;
    const socket = socketOf(client);
    if (!socket?.cork || !socket.uncork) return;
    this.#corked = true;
    socket.cork();
    setImmediate(() => {
      this.#corked = false;
      socket.uncork?.();
    });
  }

  startBatch(now: number): Batch {
    const batch = { sentAt: now, pending: 0 };
    this.#batches.push(batch);
    return batch;
  }

  /** Whether a batch has waited for its answers longer than a lane that keeps up would take. */
  busy(now: number): boolean {
    // Answers come in the order sent: batches fully answered at the head are done.
    while (this.#batches.length > 0 && this.#batches[0]!.pending === 0) this.#batches.shift();
    const oldest = this.#batches[0];
    return oldest !== undefined && now - oldest.sentAt > LANE_BUSY_MS;
  }

  /** The client broke (or its state is unknown): the pool destroys it, the next use borrows. */
  drop(client: pg.PoolClient): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.release(true);
  }

  close(): void {
    const client = this.#client;
    this.#client = undefined;
    client?.release(true);
  }
}

/** Lanes of the shared pipeline at most: more let commits wait for the disk on several backends. */
const MAX_LANES = 4;
/** How long a lane may take to answer what a turn sent before turns move on to the next. */
const LANE_BUSY_MS = 5;

/**
 * A few pool clients that carry, pipelined, the statements of many requests at once: the hot
 * statements (`prepared`) run outside a transaction, and transactions sent whole (BEGIN, the
 * held writes, COMMIT, back to back, nothing waited on in between). What the requests of one
 * event-loop turn send leaves in one socket write on one lane and comes back in one read, and
 * PostgreSQL wakes one backend for all of it instead of one per request. Every statement
 * carries its own Sync: one that fails fails alone (in a transaction sent whole, it aborts that
 * transaction, whose COMMIT rolls back).
 *
 * Turns use the first lane that is keeping up: one backend serves hot rows (rate-limit
 * counters) without waiting on locks, but answers commits one after another, each after its
 * disk flush. When a lane has left a turn's statements unanswered for `LANE_BUSY_MS` (a slow
 * disk, a long lock wait), turns go to the next lane, so commits proceed on several backends.
 */
class SharedPipeline {
  readonly #lanes: Lane[];
  #turn: { lane: Lane; batch: Batch } | undefined;

  constructor(pool: pg.Pool, lanes: number) {
    this.#lanes = Array.from({ length: lanes }, () => new Lane(pool));
  }

  /** This event-loop turn's lane and batch. */
  #current(): { lane: Lane; batch: Batch } {
    if (!this.#turn) {
      const now = performance.now();
      const lane = this.#lanes.find((l) => !l.busy(now)) ?? this.#lanes[0]!;
      this.#turn = { lane, batch: lane.startBatch(now) };
      setImmediate(() => {
        this.#turn = undefined;
      });
    }
    return this.#turn;
  }

  /** Counts a reply against this turn's batch until it settles. */
  #track<T>(batch: Batch, reply: Promise<T>): Promise<T> {
    batch.pending += 1;
    const settle = () => {
      batch.pending -= 1;
    };
    reply.then(settle, settle);
    return reply;
  }

  /** A statement outside any transaction. */
  async run(query: CompiledQuery): Promise<pg.QueryResult> {
    const { lane, batch } = this.#current();
    const client = await lane.client();
    try {
      return await this.#track(batch, send(client, query));
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      // Another instance migrated a table under a prepared statement: prepare it again.
      await forgetStatements(client);
      return send(client, query);
    }
  }

  /** A whole transaction, back to back; resolves once COMMIT is answered. */
  async runTransaction(begin: string, writes: CompiledQuery[]): Promise<void> {
    const { lane, batch } = this.#current();
    const client = await lane.client();
    let failed: { error: unknown } | undefined;
    const sent = [client.query(begin), ...writes.map((write) => send(client, write))].map((reply) =>
      reply.catch((error: unknown) => {
        failed ??= { error };
      }),
    );
    const committed = this.#track(batch, client.query("commit"));
    const [result] = await Promise.all([committed, ...sent]);
    if (failed) {
      // Another instance's migration outdated a prepared statement: prepare them all anew.
      if (isStalePlan(failed.error)) await forgetStatements(client);
      throw failed.error;
    }
    // PostgreSQL answers COMMIT with ROLLBACK when the transaction had aborted.
    if (result.command === "ROLLBACK") {
      throw new Error("PostgreSQL rolled the transaction back instead of committing it");
    }
  }

  close(): void {
    for (const lane of this.#lanes) lane.close();
  }
}

class PipelinedConnection implements DatabaseConnection {
  /** The BEGIN of a transaction that has sent nothing yet. */
  #pendingBegin: string | undefined;
  /** Deferrable writes held until the next statement waited on, or COMMIT. */
  #held: CompiledQuery[] = [];
  #inTransaction = false;
  /** Writes sent and not yet answered, and the first of them to fail. */
  #inFlight: Array<Promise<unknown>> = [];
  #failed: { error: unknown } | undefined;
  /** A pool client of its own, taken when a transaction waits on a statement mid-way. */
  client: pg.PoolClient | undefined;
  discarded = false;

  constructor(
    readonly pool: pg.Pool,
    readonly shared: SharedPipeline | undefined,
  ) {}

  /** Sends a statement whose answer nobody waits for, keeping its failure for later. */
  #sendUnawaited(client: pg.PoolClient, query: CompiledQuery): void {
    const reply = send(client, query).catch((error: unknown) => {
      this.#failed ??= { error };
    });
    this.#inFlight.push(reply);
  }

  /**
   * Sends the pending BEGIN and the held writes, then `last` (a statement waited on, or the
   * transaction's end), in one write to the socket: node-postgres writes each query on its own
   * otherwise, one system call each on both sides.
   */
  #sendTogether<T>(client: pg.PoolClient, last: () => Promise<T>): Promise<T> {
    const socket = socketOf(client);
    socket?.cork?.();
    try {
      if (this.#pendingBegin !== undefined) {
        const begin = this.#pendingBegin;
        this.#pendingBegin = undefined;
        this.#sendUnawaited(client, { sql: begin, parameters: [] } as unknown as CompiledQuery);
      }
      for (const held of this.#held) this.#sendUnawaited(client, held);
      this.#held = [];
      return last();
    } finally {
      socket?.uncork?.();
    }
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Only the hot statements share: they are point reads and writes, quick to answer, while
    // anything else (a purge, a listing, a migration's session) may hold a lane up.
    if (
      this.shared &&
      !this.#inTransaction &&
      !this.client &&
      statementName(query.sql) !== undefined
    ) {
      return resultOf<R>(await this.shared.run(query));
    }
    if (this.#inTransaction && isAsyncCommit(query.sql)) {
      throw new Error("a statement that commits without a disk flush ran inside a transaction");
    }
    if (this.#inTransaction && isDeferrable(query.sql)) {
      this.#held.push(query);
      return { rows: [] };
    }
    // A transaction that waits on this statement's answer, or a statement that is not a hot
    // one: on a connection of its own.
    this.client ??= await this.pool.connect();
    const client = this.client;
    if (!this.#inTransaction) return this.#outsideTransaction<R>(client, query);
    let result: pg.QueryResult;
    try {
      result = await this.#sendTogether(client, () => send(client, query));
    } catch (error) {
      // A statement behind a failed write fails only because the transaction is aborted:
      // the write's error is the one that explains it.
      await Promise.all(this.#inFlight);
      const cause = this.#failed?.error ?? error;
      // A prepared statement another instance's migration outdated aborted the transaction:
      // the pool drops the connection, and with it the statements prepared on it.
      if (isStalePlan(cause)) this.discarded = true;
      throw cause;
    }
    return resultOf<R>(result);
  }

  /** A statement outside a transaction on this connection's own client. */
  async #outsideTransaction<R>(
    client: pg.PoolClient,
    query: CompiledQuery,
  ): Promise<QueryResult<R>> {
    try {
      return resultOf<R>(await send(client, query));
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      // Another instance migrated a table under a prepared statement: prepare it again.
      await forgetStatements(client);
      return resultOf<R>(await send(client, query));
    }
  }

  // biome-ignore lint/correctness/useYield: Keyward never streams; the interface requires it.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("Keyward's PostgreSQL driver does not stream queries");
  }

  begin(settings: TransactionSettings): void {
    let begin = "begin";
    if (settings.isolationLevel) begin += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) begin += ` ${settings.accessMode}`;
    this.#pendingBegin = begin;
    this.#inTransaction = true;
  }

  async end(command: "commit" | "rollback"): Promise<void> {
    const begin = this.#pendingBegin;
    try {
      // Nothing was sent: a rollback has nothing on the server to end, nor a commit with
      // nothing held; otherwise the whole transaction goes out on the shared pipeline (unless
      // this connection holds a client of its own, whose session it then belongs to).
      if (begin !== undefined && (command === "rollback" || this.#held.length === 0)) return;
      if (begin !== undefined && this.shared && !this.client) {
        await this.shared.runTransaction(begin, this.#held);
        return;
      }
      this.client ??= await this.pool.connect();
      const client = this.client;
      // A rollback never sends the writes it undoes.
      if (command === "rollback") this.#held = [];
      const ended = this.#sendTogether(client, () => client.query(command));
      try {
        const [result] = await Promise.all([ended, ...this.#inFlight]);
        const failed = this.#failed;
        if (command === "commit" && failed) throw failed.error;
        // PostgreSQL answers COMMIT with ROLLBACK when the transaction had aborted.
        if (command === "commit" && result.command === "ROLLBACK") {
          throw new Error("PostgreSQL rolled the transaction back instead of committing it");
        }
      } catch (error) {
        if (command === "rollback") this.discarded = true;
        throw error;
      }
    } finally {
      this.#reset();
    }
  }

  #reset(): void {
    this.#pendingBegin = undefined;
    this.#held = [];
    this.#inTransaction = false;
    this.#inFlight = [];
    this.#failed = undefined;
  }

  /** Gives its own client back (dropped if its state is unknown), if it took one. */
  release(): void {
    const client = this.client;
    this.client = undefined;
    client?.release(this.discarded);
    this.discarded = false;
  }
}

class PipelinedDriver implements Driver {
  readonly #shared: SharedPipeline | undefined;

  constructor(readonly pool: pg.Pool) {
    // The lanes are the pool's clients: a pool of one has none to spare for them.
    const lanes = Math.min(MAX_LANES, (pool.options.max ?? 10) - 1);
    this.#shared = lanes > 0 ? new SharedPipeline(pool, lanes) : undefined;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PipelinedConnection(this.pool, this.#shared);
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    (connection as PipelinedConnection).begin(settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return (connection as PipelinedConnection).end("commit");
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return (connection as PipelinedConnection).end("rollback");
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PipelinedConnection).release();
  }

  async destroy(): Promise<void> {
    this.#shared?.close();
    await this.pool.end();
  }
}

/** Kysely's PostgreSQL dialect on the pipelining driver above. */
export function pipelinedPostgresDialect(pool: pg.Pool): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PipelinedDriver(pool),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
