import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { DEFAULT_DATABASE_PATH } from './default-path.mjs';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The handle a synchronous transaction callback receives. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A setup problem a person can fix (a path, a permission), reported without a stack trace. */
export class DatabaseSetupError extends Error {
  override name = 'DatabaseSetupError';
}

/**
 * DATABASE_PATH, read here because db/ never imports app/; app/_lib/config.mjs declares and
 * validates it (instrumentation.ts refuses a bad one at start).
 */
export function databasePath(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
}

function ensureWritableFolder(folder: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : (code ?? 'unknown error');
    throw new DatabaseSetupError(
      `Cannot create the data folder ${folder} (${why}). ` +
        'Create it, or set DATABASE_PATH to a file in a folder this user can write.',
    );
  }
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch {
    throw new DatabaseSetupError(
      `The data folder ${folder} is not writable by this user. ` +
        'Fix its permissions, or set DATABASE_PATH to a file in a folder this user can write.',
    );
  }
}

/**
 * Opens one SQLite connection, sets the pragmas every connection needs and applies the
 * committed migrations. Synchronous, like better-sqlite3 itself.
 */
export function openDatabase(file: string, migrationsFolder = path.join(process.cwd(), 'drizzle')): Db {
  if (file !== ':memory:') ensureWritableFolder(path.dirname(file));
  let client: Database.Database;
  try {
    client = new Database(file);
  } catch (error) {
    throw new DatabaseSetupError(`Cannot open the database ${file}: ${(error as Error).message}`);
  }
  client.pragma('journal_mode = WAL');
  client.pragma('busy_timeout = 5000');
  client.pragma('foreign_keys = ON');
  // WAL + NORMAL stays consistent after a crash; only the last commits before a power cut can go.
  client.pragma('synchronous = NORMAL');
  const db = drizzle({ client, schema });
  migrate(db, { migrationsFolder });
  return db;
}

const globalForDb = globalThis as unknown as { __blogDb?: Db };

/**
 * The process's one connection, opened on first use rather than at import time, so that
 * `next build` can import route modules without touching the database. Kept on globalThis
 * so dev-mode hot reloads reuse it.
 */
export function getDb(): Db {
  globalForDb.__blogDb ??= openDatabase(databasePath());
  return globalForDb.__blogDb;
}

/**
 * A query compiled once per connection and reused: `build` runs on the first call for each
 * connection (after closeDb() the next one gets its own). Drizzle otherwise rebuilds the SQL text
 * and SQLite compiles it again on every call, which was a third of the time of posting a comment.
 * For the queries every write runs; `build` uses `sql.placeholder` for what changes per call.
 */
export function preparedQuery<T>(build: (db: Db) => T): () => T {
  const byConnection = new WeakMap<Db, T>();
  return () => {
    const db = getDb();
    let query = byConnection.get(db);
    if (query === undefined) byConnection.set(db, (query = build(db)));
    return query;
  };
}

/**
 * preparedQuery for functions that take the connection as an argument (a Db, or a transaction on
 * one): compiled once per SQLite connection, found from the handle's session, which Drizzle's
 * transaction shares with its database. Tests play a second process with a second connection,
 * and a query compiled on getDb() would silently run on the other one.
 */
export function preparedQueryOn<T>(build: (db: Db) => T): (conn: Db | Tx) => T {
  const byClient = new WeakMap<object, T>();
  return (conn) => {
    const client = (conn as unknown as { session: { client: object } }).session.client;
    let query = byClient.get(client);
    // The handle builds the query; a statement runs on its connection, whatever transaction is open.
    if (query === undefined) byClient.set(client, (query = build(conn as Db)));
    return query;
  };
}

/** A refused first write (SQLITE_BUSY_SNAPSHOT) is tried again this many times before the lock is taken up front. */
const READ_THEN_WRITE_ATTEMPTS = 3;

/** better-sqlite3's error code; Drizzle hands some on as they are and wraps others (a `sql` run) with the driver's error as `cause`. */
function sqliteCode(error: unknown): unknown {
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  return code ?? (cause as { code?: unknown } | undefined)?.code;
}

/**
 * Runs `step` (its reads and its slow work first, its writes last) in a transaction that takes
 * SQLite's write lock at its first write rather than at its start: while the step reads and
 * works (the notify job composing a message), it holds nothing another connection's write waits
 * for (WAL), so the lock a request may wait for is held for the writes alone. If another
 * connection committed after the step's reads began, SQLite refuses that first write
 * (SQLITE_BUSY_SNAPSHOT: what was read may be stale) and the step runs again on what is there
 * now; after a few refusals it runs holding the lock from its start. So `step` may run more than
 * once, and must do nothing outside the transaction.
 */
export function readThenWrite<T>(db: Db, step: (tx: Tx) => T): T {
  for (let attempt = 1; attempt < READ_THEN_WRITE_ATTEMPTS; attempt += 1) {
    try {
      return db.transaction(step, { behavior: 'deferred' });
    } catch (error) {
      if (sqliteCode(error) !== 'SQLITE_BUSY_SNAPSHOT') throw error;
    }
  }
  return db.transaction(step, { behavior: 'immediate' });
}

/*
 * WAL checkpoints. SQLite copies the log into the database file (the copy and two fsyncs: up to
 * 12 ms on the bench's disk) on whichever connection's commit takes the log past 1,000 pages; in
 * a server that is a request's, and the event loop, with every request in flight, waits for it.
 * With notifications on that was every fifth of a second at the bench's write rate. A server
 * hands them to its job thread (app/_lib/ops/job-thread.ts): that thread checkpoints its own
 * connection every CHECKPOINT_EVERY_MS, and the server's connection only past
 * REQUEST_CHECKPOINT_PAGES, for a job thread that died or hangs. What stays on the server's
 * connection is SQLite's one fsync of the log's header when a commit starts the log over
 * (under 2 ms).
 */
export const CHECKPOINT_EVERY_MS = 200;
export const REQUEST_CHECKPOINT_PAGES = 10_000;

/** This connection checkpoints only as a last resort: another one does it on time. */
export function leaveCheckpointsToAnotherConnection(db: Db = getDb()): void {
  db.$client.pragma(`wal_autocheckpoint = ${REQUEST_CHECKPOINT_PAGES}`);
}

/**
 * Copies what the log holds into the database file without waiting on anyone (PASSIVE): writers
 * go on appending meanwhile, and what they add is copied the next time.
 */
export function checkpointPassively(db: Db = getDb()): void {
  db.$client.pragma('wal_checkpoint(PASSIVE)');
}

/** Closes the process's connection (tests and scripts). */
export function closeDb(): void {
  globalForDb.__blogDb?.$client.close();
  globalForDb.__blogDb = undefined;
}

/**
 * The graceful stop's last step: folds the write-ahead log into the database file (so a copy of
 * that one file is the whole database) and closes the connection.
 */
export function checkpointAndClose(): void {
  const client = globalForDb.__blogDb?.$client;
  if (!client) return;
  client.pragma('wal_checkpoint(TRUNCATE)');
  closeDb();
}
