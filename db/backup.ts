/*
 * Online backups of the SQLite database, for `npm run db:backup` and the scheduled backup job
 * (app/_lib/ops/jobs.ts). No 'server-only' here: the script runs under plain tsx.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type BackupResult = { source: string; target: string; ms: number; comments: number };

/** A backup that must not be trusted; the message says what went wrong and where the copy is. */
export class BackupError extends Error {
  override name = 'BackupError';
}

/** `PRAGMA integrity_check` on a database file ('ok', or SQLite's first complaint) and its comment count. */
export function checkBackup(file: string): { integrity: string; comments: number } {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(copy.pragma('integrity_check', { simple: true }));
    const comments = integrity === 'ok' ? (copy.prepare('select count(*) from comments').pluck().get() as number) : 0;
    return { integrity, comments };
  } finally {
    copy.close();
  }
}

export type BackupOptions = {
  /** Leave a copy that failed its check beside the target, for a person to inspect (the script does). */
  keepFailedCopy?: boolean;
  /** The check run on the copy; tests replace it to see a failing one refused. */
  check?: typeof checkBackup;
};

/**
 * Copies `source` to `target` while other connections keep writing, and returns only once the
 * copy passed `PRAGMA integrity_check`; otherwise throws a BackupError and no file carries the
 * target's name.
 */
export function backupDatabase(source: string, target: string, options: BackupOptions = {}): BackupResult {
  const { keepFailedCopy = true, check = checkBackup } = options;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const started = Date.now();
  // One read transaction, one consistent snapshot: WAL lets writers go on beside it, and unlike
  // the page-by-page backup API it never restarts when they commit (which on a busy site meant it
  // never finished). Written beside the target and renamed once checked, so a failed run leaves
  // no file under the backup's name; VACUUM INTO refuses an existing file.
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }

  const { integrity, comments } = check(partial);
  if (integrity !== 'ok') {
    if (!keepFailedCopy) fs.rmSync(partial, { force: true });
    const where = keepFailedCopy ? `Backup written to ${partial}` : 'Backup written and deleted';
    throw new BackupError(`${where}, but its integrity check failed: ${integrity}`);
  }
  fs.renameSync(partial, target);
  return { source, target, ms: Date.now() - started, comments };
}

/** Where backups go by default: `backups/` beside the database file. */
export function backupFolder(source: string): string {
  return path.join(path.dirname(source), 'backups');
}

/** A backup's default name, `blog-<ISO time>.db` with `:` and `.` as `-`, so names sort by time. */
export function backupFileName(at: Date): string {
  return `blog-${at.toISOString().replace(/[:.]/g, '-')}.db`;
}

/** The names backupFileName gives; retention deletes nothing else. */
export const BACKUP_NAME = /^blog-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

/**
 * Deletes all but the newest `keep` backups in `folder` (newest by the time in the name), and
 * returns the names it deleted. Files and folders whose names do not match BACKUP_NAME are never
 * touched; `protect` (the backup just written) is always kept, even when a clock set back
 * makes its name look older than the rest.
 */
export function pruneBackups(folder: string, keep: number, protect?: string): string[] {
  const names = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && BACKUP_NAME.test(entry.name) && entry.name !== protect)
    .map((entry) => entry.name)
    .sort()
    .reverse();
  const others = Math.max(0, keep - (protect ? 1 : 0));
  const old = names.slice(others);
  for (const name of old) fs.rmSync(path.join(folder, name), { force: true });
  return old;
}

/**
 * The scheduled backup: a new `blog-<time>.db` in the backup folder, then the oldest beyond
 * `keep` deleted, only after the new copy passed its check (a failed one is deleted instead, so
 * repeated failures cannot fill the disk, and the old backups stay).
 */
export function scheduledBackup(source: string, keep: number, at: Date, options: Pick<BackupOptions, 'check'> = {}): BackupResult & { deleted: string[] } {
  const folder = backupFolder(source);
  const name = backupFileName(at);
  const result = backupDatabase(source, path.join(folder, name), { ...options, keepFailedCopy: false });
  return { ...result, deleted: pruneBackups(folder, Math.max(1, keep), name) };
}
