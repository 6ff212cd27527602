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
 */
/** node-postgres's per-connection record of the statements it has prepared (not in its types). */
interface PreparedCache {
  parsedStatements?: Record<string, string>;
  submittedNamedStatements?: Record<string, string>;
}

/** PostgreSQL refusing a prepared statement whose table changed shape since it was prepared. */
export function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "0A000" && typeof message === "string" && message.includes("cached plan");
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
  discarded = false;

  constructor(readonly client: pg.PoolClient) {}

  #send(query: CompiledQuery): Promise<pg.QueryResult> {
    const name = statementName(query.sql);
    const values = [...query.parameters];
    return name === undefined
      ? this.client.query(query.sql, values)
      : this.client.query({ name, text: query.sql, values });
  }

  /** Sends a statement whose answer nobody waits for, keeping its failure for later. */
  #sendUnawaited(query: CompiledQuery): void {
    const reply = this.#send(query).catch((error: unknown) => {
      this.#failed ??= { error };
    });
    this.#inFlight.push(reply);
  }

  /**
   * Sends the pending BEGIN and the held writes, then `last` (a statement waited on, or the
   * transaction's end), in one write to the socket: node-postgres writes each query on its own
   * otherwise, one system call each on both sides.
   */
  #sendTogether<T>(last: () => Promise<T>): Promise<T> {
    const socket = (this.client as unknown as { connection?: { stream?: Partial<Socket> } })
      .connection?.stream;
    socket?.cork?.();
    try {
      if (this.#pendingBegin !== undefined) {
        const begin = this.#pendingBegin;
        this.#pendingBegin = undefined;
        this.#sendUnawaited({ sql: begin, parameters: [] } as unknown as CompiledQuery);
      }
      for (const held of this.#held) this.#sendUnawaited(held);
      this.#held = [];
      return last();
    } finally {
      socket?.uncork?.();
    }
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#inTransaction && isDeferrable(query.sql)) {
      this.#held.push(query);
      return { rows: [] };
    }
    let result: pg.QueryResult;
    try {
      result = await this.#sendTogether(() => this.#send(query));
    } catch (error) {
      // A statement behind a failed write fails only because the transaction is aborted:
      // the write's error is the one that explains it.
      await Promise.all(this.#inFlight);
      const cause = this.#failed?.error ?? error;
      if (!isStalePlan(cause)) throw cause;
      // Another instance migrated a table under a prepared statement: prepare it again. In a
      // transaction, which the error aborted, the pool drops the connection instead.
      if (this.#inTransaction) {
        this.discarded = true;
        throw cause;
      }
      await this.#forgetStatements();
      result = await this.#send(query);
    }
    const { command, rowCount, rows } = result;
    return {
      numAffectedRows:
        command === "INSERT" || command === "UPDATE" || command === "DELETE" || command === "MERGE"
          ? BigInt(rowCount ?? 0)
          : undefined,
      rows: (rows ?? []) as R[],
    };
  }

  /** Deallocates this connection's prepared statements, so that each is prepared anew. */
  async #forgetStatements(): Promise<void> {
    await this.client.query("deallocate all");
    const connection = (this.client as unknown as { connection?: PreparedCache }).connection;
    if (connection?.parsedStatements) connection.parsedStatements = {};
    if (connection?.submittedNamedStatements) connection.submittedNamedStatements = {};
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
    // Nothing was sent: a rollback has no transaction on the server to end, and a commit with
    // nothing held has nothing to commit.
    if (this.#pendingBegin !== undefined && (command === "rollback" || this.#held.length === 0)) {
      this.#reset();
      return;
    }
    // A rollback never sends the writes it undoes.
    if (command === "rollback") this.#held = [];
    const ended = this.#sendTogether(() => this.client.query(command));
    const inFlight = this.#inFlight;
    try {
      const [result] = await Promise.all([ended, ...inFlight]);
      const failed = this.#failed;
      if (command === "commit" && failed) throw failed.error;
      // PostgreSQL answers COMMIT with ROLLBACK when the transaction had aborted.
      if (command === "commit" && result.command === "ROLLBACK") {
        throw new Error("PostgreSQL rolled the transaction back instead of committing it");
      }
    } catch (error) {
      if (command === "rollback") this.discarded = true;
      throw error;
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
}

class PipelinedDriver implements Driver {
  readonly #connections = new WeakMap<pg.PoolClient, PipelinedConnection>();

  constructor(readonly pool: pg.Pool) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const client = await this.pool.connect();
    let connection = this.#connections.get(client);
    if (!connection) {
      connection = new PipelinedConnection(client);
      this.#connections.set(client, connection);
    }
    return connection;
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
    const pipelined = connection as PipelinedConnection;
    // A connection whose rollback failed is in an unknown state: the pool drops it.
    pipelined.client.release(pipelined.discarded);
  }

  async destroy(): Promise<void> {
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
