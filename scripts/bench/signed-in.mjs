/*
 * The signed-in scenario: a signed-in reader's 1,000-comment page against the signed-out one
 * (Next's full-route cache), the same URL, measured back to back in the same run.
 */
import { CONNECTIONS, GOALS, PAGE_ARTICLE, SESSION_COOKIE, SIGNED_IN, WRK_THREADS, WRK_TIMEOUT_SECONDS } from './config.mjs';
import { fmtBytes, fmtMs, fmtRatio, fmtRps, fmtS, formatTable, int } from './format.mjs';
import { errorSummary, get, measure, probe, rate, socketErrorCount } from './measure.mjs';
import { sessionTokens, signedInAs } from './sessions.mjs';

const DRAIN_TIMEOUT_MS = 120_000;

/**
 * wrk leaves the requests it gave up on (after WRK_TIMEOUT_SECONDS) out of its latencies: when
 * they are more than 1% of a run, its p99 is at least that timeout, whatever wrk printed.
 */
const p99Hidden = (f) => f.socketErrors.timeout > 0.01 * (f.requests + f.socketErrors.timeout);
const fmtP99 = (f) => (p99Hidden(f) ? `>= ${WRK_TIMEOUT_SECONDS} s` : fmtMs(f.p99Ms));

/** "12 of 3456" (printed by scripts/bench-read.lua) as { slow: 12, samples: 3456 }, or null. */
function parseSlow(text) {
  const match = /^(\d+) of (\d+)$/.exec(text ?? '');
  return match ? { slow: Number(match[1]), samples: Number(match[2]) } : null;
}

/**
 * Probes both pages once (sizes, headers; the signed-in one must name its reader and must not be
 * storable by a shared cache), checks every reader's cookie signs that reader in (a cookie that
 * did not would measure the signed-out page), then measures both at each connection count.
 * Nothing here throws on a page that fails a check: it is recorded, noted and judged in the summary.
 */
export async function runSignedIn(origin, bench, seconds, notes) {
  const readers = bench.users.slice(0, SIGNED_IN.readers);
  const tokens = await sessionTokens(readers);
  const cookieOf = (i) => `${SESSION_COOKIE}=${tokens[i]}`;
  const url = SIGNED_IN.url;

  const signedOut = await probe(origin, url);
  const signedIn = await probe(origin, url, { headers: { cookie: cookieOf(0) }, expect: [signedInAs(readers[0])], strict: false });
  const namesReader = signedIn.missing.length === 0;
  if (!namesReader) notes.push(`signed-in ${url}: the page for "${readers[0].name}" does not match ${signedIn.missing.join(', ')}`);
  const privateCache = GOALS.signedInCacheControl.test(signedIn.cacheControl ?? '');
  if (!privateCache) {
    notes.push(`signed-in ${url}: Cache-Control "${signedIn.cacheControl ?? '(none)'}" has neither private nor no-store: a shared cache may store a reader's page`);
  }
  if (signedIn.cacheHeader) notes.push(`signed-in ${url}: x-nextjs-cache ${signedIn.cacheHeader}`);

  let named = 0;
  for (const [i, reader] of readers.entries()) {
    const answer = await get(origin + url, { cookie: cookieOf(i) });
    if (answer.status === 200 && signedInAs(reader).test(answer.body.toString('utf8'))) named++;
  }
  if (named < readers.length) notes.push(`signed-in ${url}: ${readers.length - named} of ${readers.length} readers' pages do not name them`);

  const env = (withTokens, connections) => ({
    BENCH_SESSION_TOKENS: withTokens ? tokens.join(',') : '',
    BENCH_SLOW_MS: String(SIGNED_IN.slowMs),
    BENCH_OPEN_MS: String(SIGNED_IN.openMs),
    BENCH_CONNECTIONS_PER_THREAD: String(Math.ceil(connections / WRK_THREADS)),
  });
  // wrk divides by the whole run, which starts with the connections opening and no requests.
  const measured = async (connections, withTokens) => {
    const figures = await measure(origin, url, connections, seconds, { script: SIGNED_IN.script, env: env(withTokens, connections) });
    const busy = figures.seconds - SIGNED_IN.openMs / 1000;
    return busy > 0 ? { ...figures, requestsPerSec: figures.requests / busy } : figures;
  };
  const runs = [];
  for (const connections of CONNECTIONS) {
    console.log(`  ${SIGNED_IN.name}: signed out, then ${readers.length} readers in turn, ${connections} connections ...`);
    const out = await measured(connections, false);
    const inn = await measured(connections, true);
    // wrk leaves its last requests unanswered and the server still renders them; one more
    // signed-in page, which shares the server with them, ends about when they do, so the next
    // signed-out run does not pay for them.
    await get(origin + url, { cookie: cookieOf(0) }, DRAIN_TIMEOUT_MS).catch((error) => {
      notes.push(`signed-in: the request after the signed-in run @${connections} failed (${error.message}): what follows may share the server with its leftovers`);
    });
    runs.push({
      connections,
      signedOut: out,
      signedIn: inn,
      ratio: rate(inn.requestsPerSec, out.requestsPerSec),
      p50Ratio: rate(inn.p50Ms, out.p50Ms),
      // No ratio when the signed-in p99 is hidden by timeouts (the goal is then missed); a hidden
      // signed-out p99 only makes the ratio larger, so it is kept.
      p99Ratio: p99Hidden(inn) ? null : rate(inn.p99Ms, out.p99Ms),
      p99Hidden: p99Hidden(inn),
      slow: { signedOut: parseSlow(out.script?.slow), signedIn: parseSlow(inn.script?.slow) },
    });
  }
  return {
    ...SIGNED_IN,
    readers: { count: readers.length, named, first: { id: readers[0].id, name: readers[0].name } },
    probes: { signedOut, signedIn },
    namesReader,
    privateCache,
    htmlRatio: rate(signedIn.bodyBytes, signedOut.bodyBytes),
    gzipRatio: signedIn.gzipBytes === null || signedOut.gzipBytes === null ? null : rate(signedIn.gzipBytes, signedOut.gzipBytes),
    runs,
  };
}

const slowText = (s) => (s ? `${int.format(s.slow)} of ${int.format(s.samples)}` : 'n/a');

/** The signed-in run's errors: socket errors (timeouts included), non-2xx answers and requests slower than slowMs. */
export function signedInErrors(run) {
  const f = run.signedIn;
  const slow = run.slow.signedIn?.slow ?? null;
  return { socket: socketErrorCount(f), timeouts: f.socketErrors.timeout, non2xx: f.non2xx, slow, total: socketErrorCount(f) + f.non2xx + (slow ?? 0) };
}

export function reportSignedIn(results) {
  const s = results.signedIn;
  if (!s) return [];
  const { signedOut, signedIn } = s.probes;
  const size = (p) =>
    `${fmtBytes(p.bodyBytes)} HTML (${fmtBytes(p.gzipBytes)} gzip), x-nextjs-cache ${p.cacheHeader ?? '-'}, cache-control ${p.cacheControl ?? '-'}`;
  const max = s.runs.at(-1);
  return [
    '',
    `Signed in: the ${int.format(PAGE_ARTICLE.comments)}-comment page for signed-in readers (${s.readers.count} session cookies in turn, ` +
      `${s.script}) against the signed-out page (Next's full-route cache), the same URL, back to back`,
    `  signed-out  ${s.url}: ${size(signedOut)}`,
    `  signed-in   ${s.url}: ${size(signedIn)}`,
    `  reader      "${s.readers.first.name}" named on the probed page: ${s.namesReader ? 'yes' : 'NO'}; ` +
      `${s.readers.named}/${s.readers.count} readers' pages name them`,
    `  size        signed-in / signed-out = ${fmtRatio(s.htmlRatio)} HTML, ${fmtRatio(s.gzipRatio)} gzip (goal gzip <= ${GOALS.signedInGzipRatio.toFixed(2)})`,
    '',
    formatTable(
      ['conns', 'out req/s', 'in req/s', 'ratio', 'out p50', 'out p99', 'in p50', 'in p99', 'p99 ratio', 'in errors', `in > ${fmtS(s.slowMs, 0)}`, `out > ${fmtS(s.slowMs, 0)}`],
      s.runs.map((r) => [
        String(r.connections),
        fmtRps(r.signedOut.requestsPerSec),
        fmtRps(r.signedIn.requestsPerSec),
        fmtRatio(r.ratio),
        fmtMs(r.signedOut.p50Ms),
        fmtP99(r.signedOut),
        fmtMs(r.signedIn.p50Ms),
        fmtP99(r.signedIn),
        fmtRatio(r.p99Ratio),
        errorSummary(r.signedIn) || '0',
        slowText(r.slow.signedIn),
        slowText(r.slow.signedOut),
      ]),
    ),
    `ratio = signed-in / signed-out requests per second (goal >= ${GOALS.signedInRatio.toFixed(2)} at every connection count); ` +
      `p99 ratio = signed-in / signed-out p99 (goal <= ${GOALS.signedInP99Ratio.toFixed(2)} at ${max.connections})`,
    `in errors = the signed-in run's socket errors and non-2xx answers as wrk counts them (its timeout is raised to 30 s); ` +
      `> ${fmtS(s.slowMs, 0)} = requests slower than wrk's default timeout, of the latencies wrk recorded (goal 0 for both); ` +
      `p99 >= ${WRK_TIMEOUT_SECONDS} s: over 1% of the run timed out, so wrk's p99 leaves them out`,
  ];
}

/** The summary's rows for this scenario (see report.mjs's summarize). */
export function summarizeSignedIn(s, row) {
  if (!s) return;
  for (const r of s.runs) {
    row(`signed-in req/s @${r.connections}`, `${fmtRps(r.signedIn.requestsPerSec)} req/s`, `${fmtRps(r.signedOut.requestsPerSec)} req/s`, r.ratio, `>= ${GOALS.signedInRatio.toFixed(2)}`, r.ratio === null ? null : r.ratio >= GOALS.signedInRatio);
  }
  const max = s.runs.at(-1);
  row(
    `signed-in p99 @${max.connections}`,
    fmtP99(max.signedIn),
    fmtP99(max.signedOut),
    max.p99Ratio,
    `<= ${GOALS.signedInP99Ratio.toFixed(2)}x`,
    max.p99Hidden ? false : max.p99Ratio === null ? null : max.p99Ratio <= GOALS.signedInP99Ratio,
  );
  for (const r of s.runs) {
    const e = signedInErrors(r);
    row(
      `signed-in errors @${r.connections}`,
      `${int.format(e.socket)} socket (${int.format(e.timeouts)} timeouts), ${int.format(e.non2xx)} non-2xx, ${e.slow === null ? 'n/a' : int.format(e.slow)} > ${fmtS(s.slowMs, 0)}`,
      '-',
      null,
      '0',
      e.slow === null ? null : e.total === 0,
    );
  }
  const { signedOut, signedIn } = s.probes;
  row('signed-in gzip bytes', fmtBytes(signedIn.gzipBytes), fmtBytes(signedOut.gzipBytes), s.gzipRatio, `<= ${GOALS.signedInGzipRatio.toFixed(2)}x`, s.gzipRatio === null ? null : s.gzipRatio <= GOALS.signedInGzipRatio);
  row('signed-in Cache-Control', signedIn.cacheControl ?? '(none)', '-', null, 'private/no-store', s.privateCache);
  row('signed-in page names its reader', `${s.readers.named}/${s.readers.count} readers`, '-', null, 'all', s.namesReader && s.readers.named === s.readers.count);
}
