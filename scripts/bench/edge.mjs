/*
 * The edge scenario: nginx with deploy/nginx.conf in front of the server, the page through its
 * cache against the same nginx serving the page's bytes from a file, then its checks.
 */
import path from 'node:path';
import fs from 'node:fs';
import { freePort, stopServer } from '../lib/next-process.mjs';
import { BenchError, CONNECTIONS, EDGE, GOALS, HOST, ROOT, STOP_GRACE_MS } from './config.mjs';
import { edgeBypass, edgeFreshness, edgeProbe, spacedCookieFreshness } from './edge-checks.mjs';
import { comparisonCells, fmtBytes, fmtS, formatTable, int } from './format.mjs';
import { get, measure, rate } from './measure.mjs';
import { countEdgeLog, findNginx, keepAndRemove, makeRunDir, renderEdgeConf, startNginx, waitForNginx } from './nginx.mjs';
import { cleanups, run } from './processes.mjs';

const headerLines = (headers) => Object.entries(headers).map(([name, value]) => `${name}: ${value}`);

/** The baseline: the page's bytes as the origin sends them, plain and gzipped, written where nginx serves them. */
async function writeStaticBaseline(origin, staticDir, notes) {
  const plain = await get(origin + EDGE.url);
  const gzipped = await get(origin + EDGE.url, { 'accept-encoding': 'gzip' });
  if (plain.status !== 200 || gzipped.status !== 200) throw new BenchError(`GET ${EDGE.url} at the origin answered ${plain.status}/${gzipped.status}`);
  const files = { 'article.html': plain.body };
  if (gzipped.headers['content-encoding'] === 'gzip') files['article.html.gz'] = gzipped.body;
  else notes.push(`edge: the origin sent ${EDGE.url} uncompressed to a gzip client; the static baseline has no .gz`);
  for (const [name, body] of Object.entries(files)) {
    fs.writeFileSync(path.join(staticDir, name), body);
    fs.chmodSync(path.join(staticDir, name), 0o644);
  }
  return Object.fromEntries(Object.entries(files).map(([name, body]) => [name, body.length]));
}

export async function runEdge(origin, bench, seconds, notes) {
  const bin = findNginx();
  if (!bin) throw new BenchError('nginx is not installed; install it with: apt-get install -y nginx (or pass --no-edge)');
  const version = (await run(bin, ['-v'])).stderr.trim().replace(/^nginx version:\s*(nginx\/)?/, '');

  // A clean folder: no cache or logs from an earlier run, and readable by nginx's workers.
  const { dir, staticDir } = makeRunDir();
  const remove = () => keepAndRemove(dir);
  cleanups.add(remove);
  const keptConf = path.relative(ROOT, path.join(EDGE.keepDir, 'nginx.conf'));
  const result = { nginx: { version, bin, conf: keptConf, template: EDGE.template }, url: EDGE.url, staticUrl: EDGE.staticUrl };
  try {
    result.staticFiles = await writeStaticBaseline(origin, staticDir, notes);
    const port = await freePort(HOST);
    const conf = renderEdgeConf({ listen: `${HOST}:${port}`, upstream: new URL(origin).host, dir, staticDir });
    const nginx = startNginx(bin, conf, dir, port);
    Object.assign(result.nginx, { origin: nginx.origin, upstream: origin });
    const stop = () => stopServer(nginx, STOP_GRACE_MS);
    cleanups.add(stop);
    console.log(`  edge: nginx ${version} pid ${nginx.pid} on ${nginx.origin} (${conf}) ...`);
    try {
      await measureEdge(nginx, origin, bench, seconds, result);
    } catch (error) {
      console.error(`\nnginx output:\n${nginx.output() || '(none)'}\n`);
      throw error;
    } finally {
      cleanups.delete(stop);
      await stop();
    }
    const problems = nginx.errorLog().filter((line) => /\[(error|crit|alert|emerg)\]/.test(line));
    if (problems.length) notes.push(`edge: ${problems.length} error line(s) in ${path.relative(ROOT, EDGE.keepDir)}/error.log, first: ${problems[0]}`);
    result.log = await countEdgeLog(path.join(dir, 'access.log'));
  } finally {
    cleanups.delete(remove);
    remove();
  }
  return result;
}

/** Each client kind at each connection count, page and static back to back, then the checks. */
async function measureEdge(nginx, origin, bench, seconds, result) {
  await waitForNginx(nginx);
  result.probes = {};
  for (const client of EDGE.clients) {
    result.probes[client.name] = {
      page: await edgeProbe(nginx.origin, EDGE.url, client.headers),
      static: await edgeProbe(nginx.origin, EDGE.staticUrl, client.headers),
    };
  }
  result.runs = [];
  for (const connections of CONNECTIONS) {
    for (const client of EDGE.clients) {
      console.log(`  edge ${client.name}: ${connections} connections ...`);
      const options = { headers: headerLines(client.headers) };
      const page = await measure(nginx.origin, EDGE.url, connections, seconds, options);
      const baseline = await measure(nginx.origin, EDGE.staticUrl, connections, seconds, options);
      result.runs.push({ client: client.name, connections, page, static: baseline, ratio: rate(page.requestsPerSec, baseline.requestsPerSec) });
    }
  }
  console.log('  edge: freshness and bypass checks ...');
  result.freshness = await edgeFreshness(origin, nginx.origin, bench);
  result.checks = await edgeBypass(nginx.origin, bench);
  result.spacedCookie = await spacedCookieFreshness(origin, nginx.origin, bench);
}

export function reportEdge(results) {
  const e = results.edge;
  if (!e) return [];
  const out = [
    '',
    `Edge: nginx ${e.nginx.version} configured by ${e.nginx.template} (rendered to ${e.nginx.conf}) on ${e.nginx.origin}, ` +
      `in front of ${e.nginx.upstream}; static = the same nginx serving the page's bytes from a file`,
    ...EDGE.clients.map((c) => `  ${c.name.padEnd(6)}${c.description}`),
    '',
    formatTable(
      ['client', 'conns', 'edge req/s', 'static req/s', 'ratio', 'edge p50', 'edge p99', 'static p50', 'static p99'],
      e.runs.map((r) => [r.client, String(r.connections), ...comparisonCells(r.page, r.static, r.ratio)]),
    ),
    `ratio = edge / static requests per second (goal ${GOALS.edgeRatio.toFixed(2)}). Bodies: ${EDGE.clients
      .map((c) => `${c.name} ${fmtBytes(e.probes[c.name].page.bodyBytes)} edge (X-Cache-Status ${e.probes[c.name].page.cacheStatus ?? '-'}), ${fmtBytes(e.probes[c.name].static.bodyBytes)} static`)
      .join('; ')}`,
  ];
  const page = e.log.counts.page;
  if (page) {
    const total = Object.values(page).reduce((sum, n) => sum + n, 0);
    const shares = Object.entries(page)
      .sort((a, b) => b[1] - a[1])
      .map(([label, n]) => `${label} ${int.format(n)} (${((100 * n) / total).toFixed(2)}%)`);
    out.push(`Edge answers for ${e.url} (access log): ${shares.join(', ')}`);
  }
  const f = e.freshness;
  const freshness = f.ok
    ? `max ${fmtS(f.maxEdgeMs, 3)} (goal <= ${fmtS(f.goalMs)}: ${f.maxEdgeMs <= f.goalMs ? 'met' : 'MISSED'})`
    : `FAILED: not shown within ${fmtS(f.timeoutMs)}`;
  out.push(
    '',
    formatTable(
      ['edge check', 'result', 'detail'],
      [
        ['freshness', freshness, `${f.samples.length} new comments on ${f.url}, polled through the edge every ${f.pollMs} ms:`],
        ...f.samples.map((r, i) => [
          `  comment ${i + 1}`,
          fmtS(r.edgeMs, 3),
          `posted ${fmtS(r.postedAfterMs)} after the last refresh; at the origin after ${fmtS(r.originMs)}; edge answers: ${r.cacheStatuses}`,
        ]),
        ...e.checks.map((c) => [c.name, c.ok ? 'pass' : 'FAIL', c.detail]),
        ['spaced session cookie', e.spacedCookie.ok ? 'pass' : 'FAIL', e.spacedCookie.detail],
      ],
      3,
    ),
  );
  return out;
}

/** The edge checks that failed, as messages (empty when all passed or the edge did not run). */
export function edgeFailures(results) {
  const e = results.edge;
  if (!e) return [];
  const failures = e.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  if (!e.spacedCookie.ok) failures.push(`spaced session cookie: ${e.spacedCookie.detail}`);
  if (!e.freshness.ok) {
    const last = e.freshness.samples.at(-1);
    failures.unshift(
      `freshness: a new comment was not shown through the edge within ${e.freshness.timeoutMs / 1000} s ` +
        `(edge answers: ${last?.cacheStatuses ?? 'none'})`,
    );
  }
  return failures;
}
