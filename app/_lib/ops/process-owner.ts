import crypto from 'node:crypto';
import os from 'node:os';

/*
 * Who holds a lock: a job's (app/_lib/ops/jobs.ts) or a message being sent
 * (app/_lib/mail/outbox.ts). Locks expire, but a server killed with -9 and started again should
 * not wait out its own dead self's lease (five minutes for the mail job), so a holder that is a
 * process on this host that no longer runs counts as gone at once.
 */

const holder = globalThis as unknown as { __blogProcessOwner?: string };

/**
 * This process's name in a lock: host, process id and a random part. The random part tells a
 * restarted server from its previous life even when it gets the same pid (pid 1 in a container).
 */
export function processOwner(): string {
  holder.__blogProcessOwner ??= newOwner();
  return holder.__blogProcessOwner;
}

/** A fresh name in the same form, for something that must not share this process's (a second job runner in a test). */
export function newOwner(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * Whether the holder `owner` is known to have stopped: a process on this host that no longer
 * runs, or this process's pid in a previous life. A holder on another host cannot be checked;
 * its lock waits for its expiry.
 */
export function ownerGone(owner: string, self: string = processOwner()): boolean {
  const [host, pid] = owner.split(':');
  const [selfHost, selfPid] = self.split(':');
  if (host !== selfHost || !pid || !/^\d+$/.test(pid)) return false;
  if (pid === selfPid) return owner !== self;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
