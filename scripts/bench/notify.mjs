/*
 * The notify scenario (issue 15): what reply notifications cost a write. Two more `next start`
 * on the same build, each on its own copy of the bench database: one as shipped (notifications
 * on), one with NOTIFY_OFF=1 (no events written, no notify job). On both copies every writer is
 * verified and subscribed to the discussion they write in, and every post is a reply to another
 * writer's comment, so each post writes reply and thread events and every writer has discussion
 * mail to compose. The "on" server gathers for 1 s, not the shipped minute, so its notify job
 * composes mail (.eml files beside its copy) while it is measured, not after.
 *
 * Each round measures one server then the other (the order swapped each round, as in
 * operations.mjs): flat out (50 writers in a closed loop) for comments stored/s, then both paced
 * at one rate both can sustain (pacedRate) for the p99 a writer sees. The goal: on within 10% of
 * off, on the median pair of rounds; the report gives every round's ratios and their range.
 *
 * Whichever server runs first in a round does better, on or off: over three runs of five rounds,
 * stored/s on/off was 1.01 to 1.66 (one 0.84) in rounds with "on" first, 0.71 to 0.92 with "off"
 * first. So rounds come in pairs, one of each order, and a pair's ratio is the geometric mean of
 * its two rounds' ratios, in which that advantage cancels out. With an odd number of rounds, or
 * one median over rounds, the order that went first more often won.
 *
 * Both servers share the machine's cores, and the "on" server's notify and mail passes run for
 * seconds after a flat-out run (hundreds of messages to compose, then to send, 100 a pass). So
 * before each run the bench waits until the "on" server has no background work left (quiet()): the
 * passes a run's own posts cause while it runs stay in its figures, and none of them lands in
 * the next run, the other server's. A paced run lasts twice the bench's seconds, so it holds
 * several passes of the jobs (every 5 to 10 s) rather than zero or one.
 */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AUTH_SECRET_PATH, BENCH_DIR, DB_PATH, GOALS, HOST, READY_TIMEOUT_MS, ROOT, STOP_GRACE_MS, WARMUP_SECONDS, WRITE_SCENARIO } from './config.mjs';
import { fmtMs, fmtRps, formatTable } from './format.mjs';
import { postJson } from './measure.mjs';
import { startServer } from './processes.mjs';
import { sessionCookie } from './sessions.mjs';
import { freePort, readOrNull, stopServer, waitUntilReady } from '../lib/next-process.mjs';

/**
 * Three pairs of rounds (see the header): a paced p99 is the worst moment of a run, and a single
 * pair is one noisy run from another.
 */
const ROUNDS = 6;
const NOTIFY_WITHIN = 0.1;
/** A paced run lasts this many times the bench's seconds (see the header). */
const PACED_LONGER = 2;
/** The longest the bench waits for the servers' background work before a run; past it, the run starts and the notes say so. */
const QUIET_TIMEOUT_MS = 120_000;
const QUIET_POLL_MS = 250;

/**
 * Background work a server's copy still has to do now: reply events not looked at yet or due
 * (a pass moves those not due to when they are), discussion subscribers with news whose batch
 * time has come, and mail due and not delivered.
 * Read from the copy itself (WAL: a reader never holds a writer up).
 */
function backlog(file) {
  const db = new Database(path.join(ROOT, file), { readonly: true, fileMustExist: true });
  const events = db.prepare(
    "select count(*) from notifications where done_at is null and recipient_id is not null and reason in ('reply', 'thread') and due_at <= ?",
  );
  const discussions = db.prepare(
    `select count(*) from discussion_subscriptions s
       left join notify_state n on n.user_id = s.user_id and n.scope = 'article:' || s.article_id
      where coalesce(n.last_mailed_at, 0) + ? <= ?
        and exists (select 1 from comments c where c.article_id = s.article_id and c.id > s.last_comment_id and c.status = 'visible' and c.author_id <> s.user_id)`,
  );
  const mail = db.prepare("select count(*) from mail_outbox where status in ('queued', 'sending') and next_attempt_at <= ?");
  const batchMs = Number(process.env.NOTIFY_BATCH_MINUTES ?? 10) * 60_000;
  return {
    left: () => {
      const now = Date.now();
      return { events: events.pluck().get(now), discussions: discussions.pluck().get(batchMs, now), mail: mail.pluck().get(now) };
    },
    close: () => db.close(),
  };
}

/** Waits until no copy has background work left (backlog); how long that took, and what was left at the timeout. */
async function quiet(backlogs) {
  const started = performance.now();
  for (;;) {
    const left = backlogs.map((b) => b.left());
    const total = left.reduce((sum, l) => sum + l.events + l.discussions + l.mail, 0);
    if (total === 0) return { ms: performance.now() - started, left: null };
    if (performance.now() - started > QUIET_TIMEOUT_MS) return { ms: performance.now() - started, left };
    await new Promise((resolve) => setTimeout(resolve, QUIET_POLL_MS));
  }
}

/**
 * How long the server's main thread waited for a core (Linux: /proc/<pid>/schedstat, in ns),
 * so the report shows a run that other work on the machine slowed. Null elsewhere.
 */
function cpuWaitMs(pid) {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return null;
  }
}

/** A copy of the bench database for one server, its writers verified and subscribed. */
async function copyFor(name, slug, writerIds) {
  const folder = path.join(BENCH_DIR, `notify-${name}`);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'bench.db');
  const source = new Database(path.join(ROOT, DB_PATH), { readonly: true });
  await source.backup(file);
  source.close();
  const db = new Database(file);
  const article = db.prepare('select id from articles where slug = ?').pluck().get(slug);
  const latest = db.prepare('select coalesce(max(id), 0) from comments where article_id = ?').pluck().get(article);
  db.transaction(() => {
    const verify = db.prepare('update users set emailVerified = ? where id = ?');
    const follow = db.prepare('insert or ignore into discussion_subscriptions (user_id, article_id, last_comment_id) values (?, ?, ?)');
    for (const id of writerIds) {
      verify.run(Date.now(), id);
      follow.run(id, article, latest);
    }
  })();
  // A first comment by each writer, so replies always have another writer's comment to answer.
  const insert = db.prepare("insert into comments (article_id, author_id, body_markdown, body_html, status) values (?, ?, 'Bench thread', '<p>Bench thread</p>', 'visible') returning id");
  const starters = writerIds.map((id, index) => {
    const commentId = insert.pluck().get(article, id);
    db.prepare('update comments set root_id = id where id = ?').run(commentId);
    return { commentId, writer: index };
  });
  db.close();
  return { file: path.relative(ROOT, file), starters };
}

/**
 * Writers replying to each other on `origin`. flatOut: every writer in a closed loop for
 * `seconds` (stored/s = 201 answers per second). paced: each writer posting on a schedule that
 * adds up to `perSec` together (p99 from when each post was due, so queueing counts).
 */
function replies(origin, cookies, starters) {
  const url = origin + WRITE_SCENARIO.url;
  const pool = [...starters];
  const statuses = {};
  let firstError = null;
  const post = async (agent, index, n) => {
    // Another writer's comment, one of the latest: a reply that notifies someone.
    let parent = pool[pool.length - 1 - Math.floor(Math.random() * Math.min(pool.length, 200))];
    if (parent.writer === index) parent = pool[Math.floor(Math.random() * pool.length)];
    const answer = await postJson(url, { body: `Bench reply ${index}.${n}: the Redmi Note 4 in India.`, parentId: parent.commentId }, { cookie: cookies[index] }, agent).catch((error) => ({
      status: 0,
      body: String(error),
    }));
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    if (answer.status === 201) pool.push({ commentId: JSON.parse(answer.body).comment.id, writer: index });
    else firstError ??= `${answer.status} ${answer.body.slice(0, 300)}`;
    return answer.status === 201;
  };
  const flatOut = async (seconds) => {
    const started = performance.now();
    const until = started + seconds * 1000;
    let stored = 0;
    await Promise.all(
      cookies.map(async (_, index) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        for (let n = 0; performance.now() < until; n += 1) if (await post(agent, index, n)) stored += 1;
        agent.destroy();
      }),
    );
    return stored / ((performance.now() - started) / 1000);
  };
  const paced = async (seconds, perSec) => {
    const intervalMs = (cookies.length / perSec) * 1000;
    const latencies = [];
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      cookies.map(async (_, index) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        let due = performance.now() + Math.random() * intervalMs;
        for (let n = 0; due < until; n += 1, due += intervalMs) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          await post(agent, index, `p${n}`);
          latencies.push(performance.now() - due);
        }
        agent.destroy();
      }),
    );
    latencies.sort((a, b) => a - b);
    return latencies[Math.min(latencies.length - 1, Math.floor(0.99 * latencies.length))] ?? NaN;
  };
  return { flatOut, paced, error: () => firstError, statuses };
}

/**
 * The paced runs' rate: half what the slower of the two servers stored flat out in the same
 * round, and never above the writes goal. At or past a server's capacity the p99 is the length
 * of the queue, which swings by seconds between runs and says nothing about the cost of a write.
 */
const pacedRate = (on, off) => Math.min(GOALS.writesPerSec, Math.max(1, Math.floor(0.5 * Math.min(on, off))));

export async function runNotify(bind, bench, seconds, notes) {
  const writers = bench.users.slice(0, WRITE_SCENARIO.writers);
  const cookies = await Promise.all(writers.map(sessionCookie));
  // The main server's secret, so the writers' session cookies sign them in on these two as well.
  const secret = process.env.AUTH_SECRET ?? readOrNull(path.join(ROOT, AUTH_SECRET_PATH))?.trim();
  const servers = {};
  const starters = {};
  const copies = {};
  const backlogs = [];
  try {
    for (const [name, env] of [
      ['on', { NOTIFY_DELAY_SECONDS: '1' }],
      ['off', { NOTIFY_OFF: '1' }],
    ]) {
      const copy = await copyFor(name, WRITE_SCENARIO.slug, writers.map((w) => w.id));
      starters[name] = copy.starters;
      copies[name] = copy.file;
      servers[name] = startServer(await freePort(HOST), bind, { DATABASE_PATH: copy.file, AUTH_SECRET: secret, LOG_LEVEL: 'warn', ...env });
    }
    for (const server of Object.values(servers)) await waitUntilReady(server, `${server.origin}/`, READY_TIMEOUT_MS);
    const runs = { on: replies(servers.on.origin, cookies, starters.on), off: replies(servers.off.origin, cookies, starters.off) };
    for (const run of Object.values(runs)) await run.flatOut(WARMUP_SECONDS);
    // Opened once the server has migrated its copy. Only the "on" copy: the "off" server writes
    // no events, so its subscribers' news stays unmailed for good and is no work of its.
    backlogs.push(backlog(copies.on));
    const loadBefore = os.loadavg()[0];
    const on = [];
    const off = [];
    const waits = [];
    // One measured run: first the servers' background work from earlier runs, then the run.
    const measure = async (name, what) => {
      const waited = await quiet(backlogs);
      waits.push(waited.ms);
      if (waited.left) notes.push(`notify: started a run with background work left after ${Math.round(waited.ms / 1000)} s: ${JSON.stringify(waited.left)}`);
      const cpuBefore = cpuWaitMs(servers[name].pid);
      const figure = await what();
      const cpuAfter = cpuWaitMs(servers[name].pid);
      return { figure, cpuWaitMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
    };
    for (let round = 1; round <= ROUNDS; round += 1) {
      const order = round % 2 === 1 ? ['on', 'off'] : ['off', 'on'];
      console.log(`  notify: replies with notifications ${order.join(', then ')} (round ${round} of ${ROUNDS}) ...`);
      const stored = {};
      for (const name of order) stored[name] = await measure(name, () => runs[name].flatOut(seconds));
      const perSec = pacedRate(stored.on.figure, stored.off.figure);
      const p99 = {};
      for (const name of order) p99[name] = await measure(name, () => runs[name].paced(PACED_LONGER * seconds, perSec));
      for (const [name, rows] of [['on', on], ['off', off]]) {
        rows.push({ storedPerSec: stored[name].figure, p99Ms: p99[name].figure, pacedPerSec: perSec, flatCpuWaitMs: stored[name].cpuWaitMs, cpuWaitMs: p99[name].cpuWaitMs, first: order[0] === name });
      }
    }
    for (const run of Object.values(runs)) if (run.error()) notes.push(`notify: a reply was refused: ${run.error()}`);
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const mailFolder = path.join(BENCH_DIR, 'notify-on', 'mail');
    const mailed = fs.existsSync(mailFolder) ? fs.readdirSync(mailFolder).length : 0;
    const storedRatios = on.map((r, i) => r.storedPerSec / off[i].storedPerSec);
    const p99Ratios = on.map((r, i) => r.p99Ms / off[i].p99Ms);
    // Rounds 1 and 2, 3 and 4 ...: one with each server first.
    const paired = (ratios) => ratios.flatMap((ratio, i) => (i % 2 === 1 ? [Math.sqrt(ratios[i - 1] * ratio)] : []));
    const storedPairs = paired(storedRatios);
    const p99Pairs = paired(p99Ratios);
    return {
      rounds: ROUNDS,
      writers: writers.length,
      pacedSeconds: PACED_LONGER * seconds,
      on,
      off,
      storedPairs,
      p99Pairs,
      storedRatio: median(storedPairs),
      p99Ratio: median(p99Pairs),
      storedRange: [Math.min(...storedRatios), Math.max(...storedRatios)],
      p99Range: [Math.min(...p99Ratios), Math.max(...p99Ratios)],
      quietWaitMs: { total: waits.reduce((a, b) => a + b, 0), max: Math.max(...waits) },
      loadAverage: [loadBefore, os.loadavg()[0]],
      mailed,
    };
  } finally {
    for (const b of backlogs) b.close();
    for (const server of Object.values(servers)) await stopServer(server, STOP_GRACE_MS);
  }
}

export function reportNotify(results) {
  const n = results.notify;
  if (!n) return [];
  const cpuWait = (ms) => (ms === null || ms === undefined ? 'n/a' : `${Math.round(ms)} ms`);
  const range = ([low, high]) => (low === undefined ? '' : `, rounds ${low.toFixed(2)} to ${high.toFixed(2)}`);
  const pairs = (ratios) => (ratios ? `, pairs ${ratios.map((r) => r.toFixed(2)).join(' ')}` : '');
  return [
    '',
    `Notifications: ${n.writers} writers, all verified and subscribed to the discussion, replying to each other; notifications on (as shipped, ` +
      `gathering 1 s) and off (NOTIFY_OFF=1), each server on its own copy of the database, ${n.rounds} rounds, the order swapped each round; ` +
      `paced runs ${n.pacedSeconds ?? results.durationSeconds} s; before each run the bench waited until the "on" server had no notify or mail work left` +
      (n.quietWaitMs ? ` (${(n.quietWaitMs.total / 1000).toFixed(0)} s in all, at most ${(n.quietWaitMs.max / 1000).toFixed(0)} s)` : ''),
    formatTable(
      ['round', 'first', 'on stored/s', 'off stored/s', 'ratio', 'cpu wait on/off', 'paced at', 'on paced p99', 'off paced p99', 'ratio', 'cpu wait on/off'],
      n.on.map((r, i) => {
        const o = n.off[i];
        return [
          `round ${i + 1}`,
          r.first === undefined ? '' : r.first ? 'on' : 'off',
          fmtRps(r.storedPerSec),
          fmtRps(o.storedPerSec),
          (r.storedPerSec / o.storedPerSec).toFixed(2),
          `${cpuWait(r.flatCpuWaitMs)} / ${cpuWait(o.flatCpuWaitMs)}`,
          `${r.pacedPerSec}/s`,
          fmtMs(r.p99Ms),
          fmtMs(o.p99Ms),
          (r.p99Ms / o.p99Ms).toFixed(2),
          `${cpuWait(r.cpuWaitMs)} / ${cpuWait(o.cpuWaitMs)}`,
        ];
      }),
    ),
    `median over pairs of rounds (each pair's ratio the geometric mean of its two rounds', one with each server first): ` +
      `stored/s on/off ${n.storedRatio.toFixed(2)} (goal >= ${(1 - NOTIFY_WITHIN).toFixed(2)}${pairs(n.storedPairs)}${range(n.storedRange ?? [])}), ` +
      `paced p99 on/off ${n.p99Ratio.toFixed(2)} (goal <= ${(1 + NOTIFY_WITHIN).toFixed(2)}${pairs(n.p99Pairs)}${range(n.p99Range ?? [])}); ${n.mailed} notification(s) written as .eml by the "on" server`,
    'cpu wait: how long the measured server\'s main thread waited for a core during the run (other work on the machine, the bench\'s own writers, the server\'s job thread)' +
      (n.loadAverage ? `; load average ${n.loadAverage[0].toFixed(2)} before the rounds, ${n.loadAverage[1].toFixed(2)} after` : ''),
  ];
}

export function summarizeNotify(n, row) {
  if (!n) return;
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  row(
    `replies stored/s, notifications on/off`,
    `${fmtRps(median(n.on.map((r) => r.storedPerSec)))}/s`,
    `${fmtRps(median(n.off.map((r) => r.storedPerSec)))}/s`,
    n.storedRatio,
    `>= ${(1 - NOTIFY_WITHIN).toFixed(2)}`,
    n.storedRatio >= 1 - NOTIFY_WITHIN,
  );
  row(
    `replies paced p99, notifications on/off`,
    fmtMs(median(n.on.map((r) => r.p99Ms))),
    fmtMs(median(n.off.map((r) => r.p99Ms))),
    n.p99Ratio,
    `<= ${(1 + NOTIFY_WITHIN).toFixed(2)}`,
    n.p99Ratio <= 1 + NOTIFY_WITHIN,
  );
}
