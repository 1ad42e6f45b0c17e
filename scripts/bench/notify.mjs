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
 * at one rate both can sustain (pacedRate) for the p99 a writer sees. The goal: on within 10% of off, on the median round.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AUTH_SECRET_PATH, BENCH_DIR, DB_PATH, GOALS, HOST, READY_TIMEOUT_MS, ROOT, STOP_GRACE_MS, WARMUP_SECONDS, WRITE_SCENARIO } from './config.mjs';
import { fmtMs, fmtRps, formatTable } from './format.mjs';
import { postJson } from './measure.mjs';
import { startServer } from './processes.mjs';
import { sessionCookie } from './sessions.mjs';
import { freePort, readOrNull, stopServer, waitUntilReady } from '../lib/next-process.mjs';

const ROUNDS = 3;
const NOTIFY_WITHIN = 0.1;

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
  try {
    for (const [name, env] of [
      ['on', { NOTIFY_DELAY_SECONDS: '1' }],
      ['off', { NOTIFY_OFF: '1' }],
    ]) {
      const copy = await copyFor(name, WRITE_SCENARIO.slug, writers.map((w) => w.id));
      starters[name] = copy.starters;
      servers[name] = startServer(await freePort(HOST), bind, { DATABASE_PATH: copy.file, AUTH_SECRET: secret, LOG_LEVEL: 'warn', ...env });
    }
    for (const server of Object.values(servers)) await waitUntilReady(server, `${server.origin}/`, READY_TIMEOUT_MS);
    const runs = { on: replies(servers.on.origin, cookies, starters.on), off: replies(servers.off.origin, cookies, starters.off) };
    for (const run of Object.values(runs)) await run.flatOut(WARMUP_SECONDS);
    const on = [];
    const off = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const order = round % 2 === 1 ? ['on', 'off'] : ['off', 'on'];
      console.log(`  notify: replies with notifications ${order.join(', then ')} (round ${round} of ${ROUNDS}) ...`);
      const stored = {};
      for (const name of order) stored[name] = await runs[name].flatOut(seconds);
      const perSec = pacedRate(stored.on, stored.off);
      const p99 = {};
      for (const name of order) p99[name] = await runs[name].paced(seconds, perSec);
      on.push({ storedPerSec: stored.on, p99Ms: p99.on, pacedPerSec: perSec });
      off.push({ storedPerSec: stored.off, p99Ms: p99.off, pacedPerSec: perSec });
    }
    for (const run of Object.values(runs)) if (run.error()) notes.push(`notify: a reply was refused: ${run.error()}`);
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const mailFolder = path.join(BENCH_DIR, 'notify-on', 'mail');
    const mailed = fs.existsSync(mailFolder) ? fs.readdirSync(mailFolder).length : 0;
    return {
      rounds: ROUNDS,
      writers: writers.length,
      on,
      off,
      storedRatio: median(on.map((r, i) => r.storedPerSec / off[i].storedPerSec)),
      p99Ratio: median(on.map((r, i) => r.p99Ms / off[i].p99Ms)),
      mailed,
    };
  } finally {
    for (const server of Object.values(servers)) await stopServer(server, STOP_GRACE_MS);
  }
}

export function reportNotify(results) {
  const n = results.notify;
  if (!n) return [];
  return [
    '',
    `Notifications: ${n.writers} writers, all verified and subscribed to the discussion, replying to each other; notifications on (as shipped, ` +
      `gathering 1 s) and off (NOTIFY_OFF=1), each server on its own copy of the database, ${n.rounds} rounds, the order swapped each round`,
    formatTable(
      ['round', 'on stored/s', 'off stored/s', 'paced at', 'on paced p99', 'off paced p99'],
      n.on.map((r, i) => [`round ${i + 1}`, fmtRps(r.storedPerSec), fmtRps(n.off[i].storedPerSec), `${r.pacedPerSec}/s`, fmtMs(r.p99Ms), fmtMs(n.off[i].p99Ms)]),
    ),
    `median ratios: stored/s on/off ${n.storedRatio.toFixed(2)} (goal >= ${(1 - NOTIFY_WITHIN).toFixed(2)}), ` +
      `paced p99 on/off ${n.p99Ratio.toFixed(2)} (goal <= ${(1 + NOTIFY_WITHIN).toFixed(2)}); ${n.mailed} notification(s) written as .eml by the "on" server`,
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
