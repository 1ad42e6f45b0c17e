#!/usr/bin/env node
/**
 * npm run bench:import [-- --comments 500000 --megabytes 200]
 *
 * The import's bench row: generates a WordPress WXR export of about 200 MB holding 500,000
 * comments (threads up to six levels deep, a few pending, spam and pingbacks, non-ASCII names,
 * HTML to sanitize) into .bench/import/, imports it with `npm run import -- wordpress` into a
 * fresh, seeded database, and reports the import's wall time and the peak resident memory of
 * the process doing it (Linux's VmHWM, read from /proc while it runs). Goals (issue 18): under
 * 2 minutes and under 300 MB. The load average is printed beside the figures: the machine is
 * shared. Exits non-zero only when the import fails, never because a figure misses its goal.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { comments: { type: 'string', default: '500000' }, megabytes: { type: 'string', default: '200' } } });
const COMMENTS = Number(values.comments);
const TARGET_BYTES = Number(values.megabytes) * 1024 * 1024;
const GOAL_SECONDS = 120;
const GOAL_MB = 300;
const DIR = path.resolve('.bench/import');
const XML = path.join(DIR, `wxr-${COMMENTS}-${values.megabytes}mb.xml`);
const DB = path.join(DIR, 'bench.db');
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';

const NAMES = ['Zoë Müller', '李雷', 'Ana Lucía Peña', 'Дмитрий Иванов', 'Ólafur Þór', 'Priya Sharma', 'Kenji Watanabe', 'Fatima Zahra', 'Reader'];
const WORDS = 'Xiaomi shipped more phones this quarter than ever before offline stores India Redmi flash sales margins Mi 6 camera battery price'.split(' ');

/** A deterministic pseudo-random sequence, so every run generates the same file. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generate() {
  if (fs.existsSync(XML)) return;
  fs.mkdirSync(DIR, { recursive: true });
  const next = random(18);
  const fd = fs.openSync(`${XML}.tmp`, 'w');
  const chunks = [];
  let size = 0;
  const flush = () => {
    const text = chunks.join('');
    fs.writeSync(fd, text);
    size += Buffer.byteLength(text);
    chunks.length = 0;
  };
  chunks.push(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench blog</title>
<link>https://oldblog.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<item>
<title><![CDATA[Xiaomi ships 23.16 million smartphones in Q2 2017]]></title>
<link>https://oldblog.example/2017/08/${SLUG}/</link>
<wp:post_id>42</wp:post_id>
<wp:post_name><![CDATA[${SLUG}]]></wp:post_name>
<wp:post_type><![CDATA[post]]></wp:post_type>
`);
  // The bytes each comment's text gets, so the file comes out near the target size.
  const overhead = 395;
  const bodyBytes = Math.max(16, Math.floor(TARGET_BYTES / COMMENTS) - overhead);
  const depth = new Uint8Array(COMMENTS + 1);
  const start = Date.UTC(2012, 0, 1) / 1000;
  for (let id = 1; id <= COMMENTS; id += 1) {
    let parent = 0;
    if (id > 1 && next() < 0.65) {
      parent = Math.max(1, id - 1 - Math.floor(next() * Math.min(id - 1, 50)));
      if (depth[parent] >= 5) parent = 0;
    }
    depth[id] = parent ? depth[parent] + 1 : 0;
    const roll = next();
    const approved = roll < 0.01 ? 'spam' : roll < 0.02 ? '0' : '1';
    const type = roll > 0.995 ? 'pingback' : '';
    const name = NAMES[id % NAMES.length];
    // Words, a paragraph break and, in one comment of ten, a link with a handler and a script.
    let body = '';
    const hostile = id % 10 === 0 ? `\n\n<a href="https://example.com/${id}" onclick="x()">link</a><script>x()</script>` : '';
    while (body.length < bodyBytes - hostile.length) body += `${WORDS[Math.floor(next() * WORDS.length)]} `;
    body = body.slice(0, Math.max(10, bodyBytes - hostile.length)) + hostile;
    const date = new Date((start + id * 60) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    // One comment per line, without indentation or the fields the importer does not read
    // (author URL and IP, local date, user id, an empty type): what keeps 500,000 comments in 200 MB.
    chunks.push(
      `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[${name}]]></wp:comment_author>` +
        `<wp:comment_author_email>reader${id % 20000}@example.com</wp:comment_author_email><wp:comment_date_gmt>${date}</wp:comment_date_gmt>` +
        `<wp:comment_content><![CDATA[${body}]]></wp:comment_content><wp:comment_approved>${approved}</wp:comment_approved>` +
        `${type ? `<wp:comment_type>${type}</wp:comment_type>` : ''}<wp:comment_parent>${parent}</wp:comment_parent></wp:comment>\n`,
    );
    if (chunks.length >= 2000) flush();
  }
  chunks.push('</item>\n</channel>\n</rss>\n');
  flush();
  fs.closeSync(fd);
  fs.renameSync(`${XML}.tmp`, XML);
  console.log(`Generated ${XML}: ${(size / 1024 / 1024).toFixed(1)} MB, ${COMMENTS} comments.`);
}

/** The processes under `root` (npm, the shell, tsx, and the node process that imports). */
function descendants(root) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone between the listing and the read
    }
  }
  const found = [];
  const walk = (pid) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

/** Peak resident memory (VmHWM) of a running process, in MB; null once it is gone. */
function peakMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

async function main() {
  generate();
  for (const suffix of ['', '-wal', '-shm', '.changes.json']) fs.rmSync(`${DB}${suffix}`, { force: true });
  const env = { ...process.env, DATABASE_PATH: DB };
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/db-seed.ts'], { env, stdio: 'inherit' });
  const started = Date.now();
  // The command as a site owner runs it; the figure is the peak of the process that imports
  // (the largest of npm, tsx's launcher and the node process it starts).
  const child = spawn('npm', ['run', '-s', 'import', '--', 'wordpress', XML], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  let peak = 0;
  const peaks = new Map();
  const timer = setInterval(() => {
    for (const pid of [child.pid, ...descendants(child.pid)]) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peakMb(pid) ?? 0));
    peak = Math.max(0, ...peaks.values());
  }, 100);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(output);
  if (code !== 0) {
    console.error(`The import failed (exit ${code}).`);
    process.exit(1);
  }
  const load = os.loadavg().map((l) => l.toFixed(2)).join(', ');
  const megabytes = fs.statSync(XML).size / 1024 / 1024;
  const rows = [
    ['import wall time', `${seconds.toFixed(1)} s`, `< ${GOAL_SECONDS} s`, seconds < GOAL_SECONDS ? 'pass' : 'miss'],
    ['import peak RSS (VmHWM)', `${peak.toFixed(0)} MB`, `< ${GOAL_MB} MB`, peak < GOAL_MB ? 'pass' : 'miss'],
  ];
  console.log(`\nimport bench: ${megabytes.toFixed(0)} MB WXR, ${COMMENTS} comments; load average ${load} (${os.cpus().length} CPUs)`);
  for (const row of rows) console.log(`  ${row[0].padEnd(24)} ${row[1].padStart(9)}   goal ${row[2].padEnd(9)} ${row[3]}`);
  fs.writeFileSync(path.join(DIR, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), megabytes, comments: COMMENTS, seconds, peakMb: peak, load: os.loadavg() }, null, 2));
}

await main();
