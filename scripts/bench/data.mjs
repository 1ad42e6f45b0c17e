/*
 * The bench's data, written straight into its own database before the build: the project's seed,
 * then bench users and copies of the article with generated discussions.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ARTICLE_SLUG, BENCH_ARTICLES, BENCH_DIR, BenchError, DB_PATH, ROOT, SEED, TSX_CLI } from './config.mjs';
import { run } from './processes.mjs';

function resetDatabase() {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(ROOT, DB_PATH + suffix), { force: true });
}

const COMMENT_STEP_MS = 50_000; // one comment every 50 s on average: 1,000 over ~14 h, 100,000 over ~58 days
const RECENT_THREADS = 50; // most replies answer one of the latest threads

/** The bench's database, opened beside the server once it runs (WAL lets both work; writes wait their turn). */
export function openBenchDb() {
  const db = new Database(path.join(ROOT, DB_PATH));
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** mulberry32: a small seeded generator, so every run writes the same discussion. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

const OPENINGS = ['', '', '', 'Honestly, ', 'I think ', 'Not sure, but ', 'Agreed: ', 'Fair point, though ', 'As a Redmi owner, '];
const SENTENCES = [
  'the Redmi Note 4 deserved every sale it got in India.',
  'a 70% jump in one quarter is impressive, but it is measured from a very weak Q1.',
  'shipments are not sales, so I would wait for the sell-through numbers.',
  'MIUI updates have been slow on my phone & that matters more to me than the hardware.',
  'the offline stores are what will decide whether this growth lasts.',
  'RMB 100 billion in revenue looks reachable if the global business keeps growing like this.',
  '100 million phones in 2018 is a bold target <3 but they have surprised people before.',
  'the Mi line still struggles against OnePlus and Samsung in the mid range.',
  'R&D spending is the part of the letter I would like to see in real numbers.',
  'supply problems hurt them badly last year; one more bad quarter and the story changes.',
  'Indonesia and Russia are interesting, but India is carrying most of it.',
  'the budget segment has thin margins, so revenue growth does not mean profit growth.',
  'I bought a Mi 6 last month and the camera is "good enough" for the price.',
  'their accessories and ecosystem products probably help more than people think.',
  'Lei Jun writing to employees is partly a message to investors before an IPO.',
  'competition from Oppo and Vivo in offline retail is fierce in India.',
  'if they fix after-sales service they could keep the #2 spot.',
  'battery life on the Redmi phones is the reason everyone in my family uses one.',
  'the next focus should be software quality, not just more models.',
  'I would like them to enter the US market, even with only a few phones.',
  "the numbers are great, but let's see what the next two quarters look like.",
  'flash sales made the phones hard to buy for a long time; that seems to be over now.',
  'a comparison with Huawei over the same period would put these numbers in context.',
  'the online-first model was their strength, and now they are copying the offline players.',
];

/** A comment of 100–600 characters from varied sentences, with the odd character that needs escaping. */
function commentText(rand) {
  const [min, max] = SEED.bodyChars;
  const target = min + Math.floor(rand() * (max - min + 1));
  let text = '';
  while (text.length < target) {
    const sentence = pick(rand, OPENINGS) + pick(rand, SENTENCES);
    text += (text ? ' ' : '') + sentence[0].toUpperCase() + sentence.slice(1);
  }
  return text.length <= max ? text : `${text.slice(0, text.lastIndexOf(' ', max - 1))}…`;
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

function insertUsers(db) {
  const insert = db.prepare(
    "INSERT INTO users (id, name, email, password_hash, role) VALUES (?, ?, ?, 'bench-no-login', 'reader')",
  );
  const users = Array.from({ length: SEED.users }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return { id: crypto.randomUUID(), name: `Bench Reader ${n}`, email: `bench-reader-${n}@bench.invalid` };
  });
  db.transaction(() => users.forEach((u) => insert.run(u.id, u.name, u.email)))();
  return users;
}

/** A copy of the seeded article under another slug, with its questions and their poll choices. */
function copyArticle(db, sourceId, slug) {
  const insertArticle = db.prepare(
    `INSERT INTO articles (slug, title, summary, body_markdown, disclosure, source_label, source_url, published_at, content_hash, comment_count)
     SELECT ?, title, summary, body_markdown, disclosure, source_label, source_url, published_at, content_hash, 0
     FROM articles WHERE id = ? RETURNING id`,
  );
  const sourceQuestions = db.prepare('SELECT id, key, position, prompt, kind FROM questions WHERE article_id = ? ORDER BY position');
  const insertQuestion = db.prepare('INSERT INTO questions (article_id, key, position, prompt, kind) VALUES (?, ?, ?, ?, ?) RETURNING id');
  const copyChoices = db.prepare(
    'INSERT INTO question_choices (question_id, key, position, label) SELECT ?, key, position, label FROM question_choices WHERE question_id = ?',
  );
  return db.transaction(() => {
    const { id } = insertArticle.get(slug, sourceId);
    const questions = sourceQuestions.all(sourceId).map((q) => {
      const copy = insertQuestion.get(id, q.key, q.position, q.prompt, q.kind);
      copyChoices.run(copy.id, q.id);
      return { id: copy.id, kind: q.kind };
    });
    return { id, questions };
  })();
}

/**
 * The article's discussion in one transaction: ~70% threads (root_id = own id), ~30% replies
 * at depth 1 to an earlier thread of the same article (mostly a recent one), increasing
 * created_at, random scores; then the article's comment_count.
 */
function insertComments(db, article, users, rand) {
  const insert = db.prepare(
    `INSERT INTO comments (id, article_id, author_id, parent_id, root_id, reply_to_id, depth, question_id,
                           body_markdown, body_html, status, score, created_at, client_token)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, 'visible', ?, ?, NULL)`,
  );
  const updateCount = db.prepare(
    "UPDATE articles SET comment_count = (SELECT count(*) FROM comments WHERE article_id = ? AND status = 'visible') WHERE id = ? RETURNING comment_count",
  );
  const openQuestions = article.questions.filter((q) => q.kind === 'open').map((q) => q.id);
  const start = Date.now() - article.comments * COMMENT_STEP_MS;
  const threads = [];
  return db.transaction(() => {
    let id = db.prepare('SELECT coalesce(max(id), 0) AS id FROM comments').get().id;
    for (let i = 0; i < article.comments; i++) {
      id += 1;
      const author = pick(rand, users).id;
      const body = commentText(rand);
      const html = `<p>${escapeHtml(body)}</p>`;
      const score = Math.floor(rand() * (SEED.maxScore + 1));
      const createdAt = start + i * COMMENT_STEP_MS + Math.floor(rand() * COMMENT_STEP_MS); // strictly increasing
      if (threads.length && rand() < SEED.replyShare) {
        const pool = rand() < 0.8 ? Math.min(threads.length, RECENT_THREADS) : threads.length;
        const thread = threads[threads.length - 1 - Math.floor(rand() * pool)];
        insert.run(id, article.id, author, thread.id, thread.id, 1, thread.questionId, body, html, score, createdAt);
      } else {
        const questionId = openQuestions.length && rand() < SEED.questionShare ? pick(rand, openQuestions) : null;
        insert.run(id, article.id, author, null, id, 0, questionId, body, html, score, createdAt);
        threads.push({ id, questionId });
      }
    }
    const { comment_count: commentCount } = updateCount.get(article.id, article.id);
    return { threads: threads.length, replies: article.comments - threads.length, commentCount };
  })();
}

/** Users and the commented copies of the article, written after the seed script has loaded the article. */
function seedBenchData() {
  const started = performance.now();
  const rand = seededRandom(SEED.randomSeed);
  const db = openBenchDb();
  try {
    const source = db.prepare('SELECT id FROM articles WHERE slug = ?').get(ARTICLE_SLUG);
    if (!source) throw new BenchError(`the seed did not load the article ${ARTICLE_SLUG}`);
    const users = insertUsers(db);
    const articles = BENCH_ARTICLES.map((spec) => {
      const copy = copyArticle(db, source.id, spec.slug);
      return { ...spec, id: copy.id, questions: copy.questions.length, ...insertComments(db, { ...spec, ...copy }, users, rand) };
    });
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { users, articles, seconds: (performance.now() - started) / 1000 };
  } finally {
    db.close();
  }
}

/**
 * A fresh database for the run, complete before the build because the baseline is prerendered
 * from it: migrated and seeded by the project's own seed script (what the server does at start,
 * where it then finds nothing to do), then the bench's users and comments.
 */
export async function prepareDatabase() {
  resetDatabase();
  const seed = await run(process.execPath, [TSX_CLI, 'scripts/db-seed.ts'], { env: { ...process.env, DATABASE_PATH: DB_PATH } });
  if (seed.code !== 0) {
    process.stderr.write(seed.stdout + seed.stderr);
    throw new BenchError(`scripts/db-seed.ts failed on ${DB_PATH} (exit ${seed.code ?? seed.signal})`);
  }
  return seedBenchData();
}

export function countComments(slug) {
  const db = openBenchDb();
  try {
    return db.prepare('SELECT count(*) AS n FROM comments WHERE article_id = (SELECT id FROM articles WHERE slug = ?)').get(slug).n;
  } finally {
    db.close();
  }
}

/** A copy of the seeded article with no comments, added while the server runs: a new comment shows on its first page. */
export function addEmptyArticle(slug) {
  const db = openBenchDb();
  try {
    const source = db.prepare('SELECT id FROM articles WHERE slug = ?').get(ARTICLE_SLUG);
    copyArticle(db, source.id, slug);
  } finally {
    db.close();
  }
}
