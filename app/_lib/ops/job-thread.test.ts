import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { checkpointPassively, closeDb, getDb } from '@/db/index';
import { createTemporaryDatabase } from '@/db/test-db';
import { closeJobThread, startJobThread } from './job-thread';

const temp = createTemporaryDatabase();
after(async () => {
  await closeJobThread();
  closeDb();
  temp.cleanup();
});

/**
 * In WAL mode a commit only appends to the log; the database file changes when a checkpoint
 * copies the log into it. So its size tells which connection checkpointed, and when.
 */
const fileSize = () => fs.statSync(temp.file).size;

describe('the job thread', () => {
  it('takes the WAL checkpoints off the server’s connection, and runs them itself soon after', async () => {
    const db = getDb();
    db.run(sql`create table filler (body text not null)`);
    // Copied in now, so the file's size can change only by the commit below.
    checkpointPassively(db);
    startJobThread();
    const before = fileSize();
    // About 2,500 pages of 4 KiB in one commit: past the 1,000 at which SQLite checkpoints on
    // the committing connection by default, stalling the request that committed.
    db.transaction((tx) => {
      for (let i = 0; i < 2_500; i += 1) tx.run(sql`insert into filler (body) values (${'x'.repeat(4_000)})`);
    });
    assert.equal(fileSize(), before, 'the commit itself left the database file as it was: no checkpoint on this connection');
    // The copy takes a moment, the file growing as it goes: wait for all of it.
    const copied = () => fileSize() > before + 2_500 * 4_000;
    const deadline = Date.now() + 10_000;
    while (!copied() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(copied(), `the job thread copied the log into the file (${fileSize()} bytes, ${before} before)`);
    // Everything in the log is in the file now: a checkpoint here finds nothing left to copy.
    const [state] = db.$client.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    assert.equal(state!.checkpointed, state!.log);
  });
});
