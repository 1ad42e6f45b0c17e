import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PREMODERATION_POLICIES } from '@/db/enums';
import { ConfigError, SETTINGS, markdownTables, parseSetting, parseSettings, settings } from './config.mjs';

type Env = Record<string, string | undefined>;
type Name = keyof typeof SETTINGS;

const ROOT = process.cwd();

/** Free text: any value is one, so none is refused. */
const FREE_TEXT = ['SITE_NAME', 'OIDC_NAME', 'HOLD_WORDS'] as const satisfies readonly Name[];

const wholeFrom = (min: string, max = '1,000,000,000') => `a whole number from ${min} to ${max}`;
const limit = (name: string, value: string) => [{ [name]: value }, `${name}=${JSON.stringify(value)} is not accepted: it must be ${wholeFrom('1')}.`] as const;
const atLeastZero = (name: string, value: string) => [{ [name]: value }, `${name}=${JSON.stringify(value)} is not accepted: it must be ${wholeFrom('0')}.`] as const;
const URL_ACCEPTED = 'an absolute http:// or https:// URL';

/**
 * For every setting a value it refuses (with what else the environment holds, for the rules
 * between settings), and the exact line. Secret values are written so that no word of them is in
 * the line's own text, so finding one there means it leaked.
 */
const REFUSALS: Record<Exclude<Name, (typeof FREE_TEXT)[number]>, readonly [Env, string]> = {
  DATABASE_PATH: [{ DATABASE_PATH: 'data/' }, 'DATABASE_PATH="data/" is not accepted: it must be the path of a file, not of a folder (no trailing /).'],
  PORT: [{ PORT: '70000' }, `PORT="70000" is not accepted: it must be a TCP port, ${wholeFrom('1', '65,535')}.`],
  SITE_URL: [
    { SITE_URL: 'news.example' },
    'SITE_URL="news.example" is not accepted: it must be an origin: http:// or https://, a host and an optional port, no path (like https://news.example).',
  ],
  NEXT_DIST_DIR: [
    { NEXT_DIST_DIR: '../elsewhere' },
    'NEXT_DIST_DIR="../elsewhere" is not accepted: it must be a folder inside the project, relative to it (like .next or .bench/next), and not ., public or app.',
  ],
  TRUST_PROXY: [{ TRUST_PROXY: 'yes' }, `TRUST_PROXY="yes" is not accepted: it must be the number of proxies in front of the server, ${wholeFrom('0', '99')}.`],
  PAGE_CACHE_MAX_ENTRIES: [{ PAGE_CACHE_MAX_ENTRIES: '0' }, `PAGE_CACHE_MAX_ENTRIES="0" is not accepted: it must be ${wholeFrom('1', '999,999,999')}.`],
  PAGE_CACHE_MAX_MB: [{ PAGE_CACHE_MAX_MB: '1.5' }, `PAGE_CACHE_MAX_MB="1.5" is not accepted: it must be ${wholeFrom('1', '999,999,999')}.`],
  SEARCH_CACHE_MAX_ENTRIES: [{ SEARCH_CACHE_MAX_ENTRIES: '0' }, `SEARCH_CACHE_MAX_ENTRIES="0" is not accepted: it must be ${wholeFrom('1', '999,999,999')}.`],
  SEARCH_CACHE_MAX_MB: [{ SEARCH_CACHE_MAX_MB: '-1' }, `SEARCH_CACHE_MAX_MB="-1" is not accepted: it must be ${wholeFrom('1', '999,999,999')}.`],
  NEXT_PUBLIC_LIVE_POLL_MS: [
    { NEXT_PUBLIC_LIVE_POLL_MS: '100' },
    `NEXT_PUBLIC_LIVE_POLL_MS="100" is not accepted: it must be milliseconds, ${wholeFrom('1,000', '3,600,000')}.`,
  ],
  AUTH_SECRET: [
    { AUTH_SECRET: 'tiny-s3cret-q7', NODE_ENV: 'production' },
    'AUTH_SECRET="****" is not accepted: it must be at least 32 random characters in production, not a placeholder like "changeme" ' +
      '(for example the output of `openssl rand -base64 32`), or unset to have one generated in the data folder.',
  ],
  AUTH_URL: [{ AUTH_URL: 'ftp://news.example/api/auth' }, `AUTH_URL="ftp://news.example/api/auth" is not accepted: it must be ${URL_ACCEPTED}.`],
  OIDC_ISSUER: [{ OIDC_ISSUER: 'issuer.example' }, `OIDC_ISSUER="issuer.example" is not accepted: it must be ${URL_ACCEPTED}.`],
  OIDC_CLIENT_ID: [
    { OIDC_CLIENT_ID: 'blog' },
    'OIDC_CLIENT_ID="blog" is not accepted: it must be set together with OIDC_ISSUER and OIDC_CLIENT_SECRET (all three or none).',
  ],
  OIDC_CLIENT_SECRET: [
    { OIDC_CLIENT_SECRET: 'hunter2-oidc-q9' },
    'OIDC_CLIENT_SECRET="****" is not accepted: it must be set together with OIDC_ISSUER and OIDC_CLIENT_ID (all three or none).',
  ],
  AUTH_GITHUB_ID: [{ AUTH_GITHUB_ID: 'Iv1.abc' }, 'AUTH_GITHUB_ID="Iv1.abc" is not accepted: it must be set together with AUTH_GITHUB_SECRET (both or none).'],
  AUTH_GITHUB_SECRET: [{ AUTH_GITHUB_SECRET: 'gh-hunter2-q9' }, 'AUTH_GITHUB_SECRET="****" is not accepted: it must be set together with AUTH_GITHUB_ID (both or none).'],
  AUTH_GOOGLE_ID: [{ AUTH_GOOGLE_ID: 'client.apps' }, 'AUTH_GOOGLE_ID="client.apps" is not accepted: it must be set together with AUTH_GOOGLE_SECRET (both or none).'],
  AUTH_GOOGLE_SECRET: [{ AUTH_GOOGLE_SECRET: 'goog-hunter2-q9' }, 'AUTH_GOOGLE_SECRET="****" is not accepted: it must be set together with AUTH_GOOGLE_ID (both or none).'],
  ADMIN_EMAILS: [
    { ADMIN_EMAILS: 'owner@example.com, admin' },
    'ADMIN_EMAILS="owner@example.com, admin" is not accepted: it must be a comma-separated list of email addresses (name@example.com, ...).',
  ],
  AUTH_SIGNIN_LIMIT_PER_IP: limit('AUTH_SIGNIN_LIMIT_PER_IP', 'abc'),
  AUTH_SIGNIN_LIMIT_PER_ACCOUNT: limit('AUTH_SIGNIN_LIMIT_PER_ACCOUNT', '0'),
  AUTH_SIGNIN_SLOW_AFTER: limit('AUTH_SIGNIN_SLOW_AFTER', '-1'),
  AUTH_SIGNUP_LIMIT_PER_IP: limit('AUTH_SIGNUP_LIMIT_PER_IP', '1e3'),
  AUTH_MAIL_LIMIT_PER_ADDRESS: limit('AUTH_MAIL_LIMIT_PER_ADDRESS', '0'),
  AUTH_MAIL_LIMIT_PER_IP: limit('AUTH_MAIL_LIMIT_PER_IP', '-1'),
  DRAFT_LIMIT_PER_IP: limit('DRAFT_LIMIT_PER_IP', 'Infinity'),
  PREMODERATION: [{ PREMODERATION: 'some' }, 'PREMODERATION="some" is not accepted: it must be one of off, first, all.'],
  REPORT_HIDE_THRESHOLD: atLeastZero('REPORT_HIDE_THRESHOLD', '-1'),
  REPORT_MIN_ACCOUNT_AGE_HOURS: atLeastZero('REPORT_MIN_ACCOUNT_AGE_HOURS', '1.5'),
  HOLD_LINKS_AT: atLeastZero('HOLD_LINKS_AT', 'two'),
  COMMENT_MIN_INTERVAL_SECONDS: atLeastZero('COMMENT_MIN_INTERVAL_SECONDS', '15s'),
  COMMENT_HOURLY_LIMIT: limit('COMMENT_HOURLY_LIMIT', '0'),
  COMMENT_DUPLICATE_MINUTES: atLeastZero('COMMENT_DUPLICATE_MINUTES', '0x10'),
  VOTE_LIMIT_PER_MINUTE: limit('VOTE_LIMIT_PER_MINUTE', '99999999999'),
  STANCE_LIMIT_PER_MINUTE: limit('STANCE_LIMIT_PER_MINUTE', 'none'),
  EDIT_LIMIT_PER_HOUR: limit('EDIT_LIMIT_PER_HOUR', '0'),
  RENAME_LIMIT_PER_HOUR: limit('RENAME_LIMIT_PER_HOUR', '2.5'),
  EXPORT_LIMIT_PER_HOUR: limit('EXPORT_LIMIT_PER_HOUR', '0'),
  COMMENT_RATE_LIMIT_DISABLED: [{ COMMENT_RATE_LIMIT_DISABLED: 'true' }, 'COMMENT_RATE_LIMIT_DISABLED="true" is not accepted: it must be 0 or 1.'],
  REVALIDATE_WINDOW_MS: atLeastZero('REVALIDATE_WINDOW_MS', '1s'),
  SMTP_URL: [
    { SMTP_URL: 'imap://qz7user:hunter9pw@inbox.test' },
    'SMTP_URL="****" is not accepted: it must be an smtp:// or smtps:// URL with a host, like smtp://user:password@mail.example:587.',
  ],
  MAIL_FROM: [
    { MAIL_FROM: 'Ledger <no-reply>' },
    'MAIL_FROM="Ledger <no-reply>" is not accepted: it must be an address (no-reply@news.example) or a name and an address (News <no-reply@news.example>).',
  ],
  MAIL_MAX_ATTEMPTS: [{ MAIL_MAX_ATTEMPTS: '0' }, `MAIL_MAX_ATTEMPTS="0" is not accepted: it must be ${wholeFrom('1', '100')}.`],
  NOTIFY_BATCH_MINUTES: [{ NOTIFY_BATCH_MINUTES: '10m' }, `NOTIFY_BATCH_MINUTES="10m" is not accepted: it must be ${wholeFrom('0', '1,440')}.`],
  NOTIFY_DELAY_SECONDS: [{ NOTIFY_DELAY_SECONDS: '1m' }, `NOTIFY_DELAY_SECONDS="1m" is not accepted: it must be ${wholeFrom('0', '3,600')}.`],
  NOTIFY_OFF: [{ NOTIFY_OFF: 'yes' }, 'NOTIFY_OFF="yes" is not accepted: it must be 0 or 1.'],
  REQUIRE_VERIFIED_EMAIL: [{ REQUIRE_VERIFIED_EMAIL: 'yes' }, 'REQUIRE_VERIFIED_EMAIL="yes" is not accepted: it must be 0 or 1.'],
  LOG_LEVEL: [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL="verbose" is not accepted: it must be one of fatal, error, warn, info, debug, trace, silent.'],
  REQUEST_LOG: [{ REQUEST_LOG: 'off' }, 'REQUEST_LOG="off" is not accepted: it must be 0 or 1.'],
  SHUTDOWN_TIMEOUT_SECONDS: [{ SHUTDOWN_TIMEOUT_SECONDS: '0' }, `SHUTDOWN_TIMEOUT_SECONDS="0" is not accepted: it must be ${wholeFrom('1', '3,600')}.`],
  BACKUP_INTERVAL_HOURS: [{ BACKUP_INTERVAL_HOURS: '8761' }, `BACKUP_INTERVAL_HOURS="8761" is not accepted: it must be ${wholeFrom('0', '8,760')}.`],
  BACKUP_KEEP: [{ BACKUP_KEEP: '0' }, `BACKUP_KEEP="0" is not accepted: it must be ${wholeFrom('1', '10,000')}.`],
  METRICS_TOKEN: [{ METRICS_TOKEN: 'short-t0ken' }, 'METRICS_TOKEN="****" is not accepted: it must be at least 16 characters.'],
  RETAIN_REJECTED_DAYS: [{ RETAIN_REJECTED_DAYS: '0' }, `RETAIN_REJECTED_DAYS="0" is not accepted: it must be days, ${wholeFrom('1', '36,500')}.`],
  RETAIN_IP_DAYS: [{ RETAIN_IP_DAYS: '30d' }, `RETAIN_IP_DAYS="30d" is not accepted: it must be days, ${wholeFrom('1', '3,650')}.`],
  BENCH_BASELINE: [{ BENCH_BASELINE: 'yes' }, 'BENCH_BASELINE="yes" is not accepted: it must be 0 or 1.'],
  BENCH_BASELINE_SLUG: [
    { BENCH_BASELINE_SLUG: 'Bench_1k' },
    'BENCH_BASELINE_SLUG="Bench_1k" is not accepted: it must be an article\'s slug: lowercase letters, digits and single hyphens.',
  ],
};

/** The lines `parseSettings(env)` refuses it with, or [] when it accepts it. */
function problemsOf(env: Env): string[] {
  try {
    parseSettings(env);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.message, error.problems.join('\n'));
    return error.problems;
  }
}

function runConfigScript(env: Env, args: string[] = []) {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts/config.mjs'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } as unknown as NodeJS.ProcessEnv, encoding: 'utf8' });
}

describe('the settings', () => {
  it('all parse from their defaults, so an empty environment starts', () => {
    const parsed = parseSettings({});
    assert.equal(parsed.DATABASE_PATH, 'data/blog.db');
    assert.equal(parsed.PORT, 3000);
    assert.equal(parsed.TRUST_PROXY, 0);
    assert.equal(parsed.AUTH_SIGNIN_LIMIT_PER_IP, 30);
    assert.equal(parsed.COMMENT_RATE_LIMIT_DISABLED, false);
    assert.deepEqual(parsed.ADMIN_EMAILS, []);
    assert.equal(parsed.SITE_URL, undefined);
    assert.equal(parsed.OIDC_NAME, 'Single sign-on');
  });

  it('each have a description and a group, and a blank value is the default', () => {
    for (const [name, setting] of Object.entries(SETTINGS)) {
      assert.ok(setting.description.length > 10, name);
      assert.ok(setting.group, name);
      assert.deepEqual(parseSettings({ [name]: '  ' })[name as Name], parseSettings({})[name as Name], name);
    }
  });

  it('read values as the code uses them', () => {
    const parsed = parseSettings({
      SITE_URL: 'https://News.Example/',
      ADMIN_EMAILS: ' Owner@Example.com,,b@example.test ',
      HOLD_WORDS: 'Casino, ,BONUS',
      TRUST_PROXY: ' 2 ',
      COMMENT_RATE_LIMIT_DISABLED: '1',
      PREMODERATION: 'first',
    });
    assert.equal(parsed.SITE_URL, 'https://news.example');
    assert.deepEqual(parsed.ADMIN_EMAILS, ['owner@example.com', 'b@example.test']);
    assert.deepEqual(parsed.HOLD_WORDS, ['casino', 'bonus']);
    assert.equal(parsed.TRUST_PROXY, 2);
    assert.equal(parsed.COMMENT_RATE_LIMIT_DISABLED, true);
    assert.equal(parsed.PREMODERATION, 'first');
    assert.equal(parseSetting('PORT', { PORT: '4000' }), 4000);
  });

  it('read the mail settings as the sender uses them', () => {
    const defaults = parseSettings({});
    assert.equal(defaults.SMTP_URL, undefined, 'no SMTP server: .eml files');
    assert.equal(defaults.MAIL_FROM, undefined, 'the site name at no-reply@ its host');
    assert.equal(defaults.MAIL_MAX_ATTEMPTS, 8);
    assert.equal(defaults.NOTIFY_BATCH_MINUTES, 10);
    assert.equal(defaults.NOTIFY_DELAY_SECONDS, 60);
    assert.equal(defaults.NOTIFY_OFF, false);
    assert.equal(defaults.REQUIRE_VERIFIED_EMAIL, false);
    assert.equal(parseSettings({ SMTP_URL: 'smtps://u:p@mail.example:465' }).SMTP_URL, 'smtps://u:p@mail.example:465');
    assert.deepEqual(parseSettings({ MAIL_FROM: 'no-reply@news.example' }).MAIL_FROM, { name: null, address: 'no-reply@news.example' });
    assert.deepEqual(parseSettings({ MAIL_FROM: '"Ledger, The" <no-reply@news.example>' }).MAIL_FROM, { name: 'Ledger, The', address: 'no-reply@news.example' });
    for (const bad of ['a@b, c@d', 'News <a@b>\nBcc: x@y', 'smtp://mail.example']) assert.equal(problemsOf({ MAIL_FROM: bad }).length, 1, bad);
    for (const bad of ['smtp://', 'mail.example:587', 'https://mail.example']) assert.equal(problemsOf({ SMTP_URL: bad }).length, 1, bad);
  });

  it('offer the pre-moderation policies the database stores', () => {
    for (const policy of PREMODERATION_POLICIES) assert.equal(parseSettings({ PREMODERATION: policy }).PREMODERATION, policy);
    assert.match(REFUSALS.PREMODERATION[1], new RegExp(`one of ${PREMODERATION_POLICIES.join(', ')}\\.$`));
  });

  it('accept a provider given whole, and a strong secret in production', () => {
    const provider = { OIDC_ISSUER: 'http://127.0.0.1:3101', OIDC_CLIENT_ID: 'blog-e2e', OIDC_CLIENT_SECRET: 'blog-e2e-client-secret' };
    assert.deepEqual(problemsOf({ ...provider, AUTH_GITHUB_ID: 'a', AUTH_GITHUB_SECRET: 'b' }), []);
    assert.deepEqual(problemsOf({ AUTH_SECRET: 'e2e-own-server-secret-0123456789abcdef', NODE_ENV: 'production' }), []);
    assert.deepEqual(problemsOf({ AUTH_SECRET: 'short', NODE_ENV: 'development' }), [], 'outside production any secret will do');
  });
});

describe('a refused setting', () => {
  it('has a bad value in the table below for every setting but free text', () => {
    const covered = [...Object.keys(REFUSALS), ...FREE_TEXT].sort();
    assert.deepEqual(covered, Object.keys(SETTINGS).sort(), 'a new setting needs a refusal here (or to be listed as free text)');
  });

  for (const [name, [env, line]] of Object.entries(REFUSALS)) {
    it(`${name}: one line naming it, its value and what is accepted`, () => {
      assert.deepEqual(problemsOf(env), [line]);
      assert.ok(line.startsWith(`${name}="`), line);
      assert.match(line, / is not accepted: it must be .+\.$/);
      const secret = (SETTINGS[name as Name] as { secret?: boolean }).secret === true;
      const value = env[name]!;
      if (secret) {
        assert.ok(line.startsWith(`${name}="****"`), line);
        for (const part of value.split(/[^a-z0-9]+/i).filter((p) => p.length > 1)) assert.ok(!line.includes(part), `${name}'s value leaked: ${part}`);
      } else {
        assert.ok(line.startsWith(`${name}=${JSON.stringify(value)}`), line);
      }
    });
  }

  it('AUTH_SIGNIN_LIMIT_PER_IP=abc (the issue) stops the start instead of turning the limit off or falling back', () => {
    assert.deepEqual(problemsOf({ AUTH_SIGNIN_LIMIT_PER_IP: 'abc' }), [
      'AUTH_SIGNIN_LIMIT_PER_IP="abc" is not accepted: it must be a whole number from 1 to 1,000,000,000.',
    ]);
  });

  it('several at once give one line each: the values in the order declared, then the rules between settings', () => {
    const env = { ...REFUSALS.METRICS_TOKEN[0], ...REFUSALS.TRUST_PROXY[0], ...REFUSALS.AUTH_SIGNIN_LIMIT_PER_IP[0], ...REFUSALS.AUTH_GITHUB_ID[0] };
    assert.deepEqual(problemsOf(env), [REFUSALS.TRUST_PROXY[1], REFUSALS.AUTH_SIGNIN_LIMIT_PER_IP[1], REFUSALS.METRICS_TOKEN[1], REFUSALS.AUTH_GITHUB_ID[1]]);
  });

  it('gets no second line from a rule between settings', () => {
    assert.deepEqual(problemsOf({ ...REFUSALS.OIDC_ISSUER[0], OIDC_CLIENT_ID: 'blog' }), [REFUSALS.OIDC_ISSUER[1]]);
  });

  it('is refused by settings() too, which tests read fresh from process.env', () => {
    process.env.VOTE_LIMIT_PER_MINUTE = 'lots';
    try {
      assert.throws(() => settings(), (error: unknown) => error instanceof ConfigError && /^VOTE_LIMIT_PER_MINUTE="lots" is not accepted/.test(error.message));
    } finally {
      delete process.env.VOTE_LIMIT_PER_MINUTE;
    }
    assert.equal(settings().VOTE_LIMIT_PER_MINUTE, 60);
  });
});

describe('docs/configuration.md', () => {
  it('holds the configuration tables generated from the settings, between its markers', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');
    const block = /<!-- config:start -->\n([\s\S]*?)\n<!-- config:end -->/.exec(readme);
    assert.ok(block, 'docs/configuration.md has <!-- config:start --> ... <!-- config:end -->');
    assert.equal(block[1]!.trim(), markdownTables(), 'docs/configuration.md is out of date: paste `npm run config -- --markdown` between the markers');
  });

  it('has a row for every setting', () => {
    const tables = markdownTables();
    for (const name of Object.keys(SETTINGS)) assert.ok(tables.includes(`| \`${name}\` |`), name);
  });
});

describe('the server code', () => {
  it('reads no environment variable that is not declared as a setting', () => {
    const NOT_SETTINGS = new Set(['NODE_ENV', 'NEXT_RUNTIME', '__NEXT_PRIVATE_ORIGIN']);
    const files = [...['app', 'db'].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((file) => path.join(dir, file))), 'proxy.ts', 'instrumentation.ts', 'next.config.js'];
    const undeclared: string[] = [];
    for (const file of files) {
      if (!/\.(ts|tsx|mjs|js)$/.test(file) || /\.test\.ts$/.test(file) || !fs.existsSync(path.join(ROOT, file))) continue;
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const match of source.matchAll(/process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[['"]([A-Za-z_][A-Za-z0-9_]*)['"]\])/g)) {
        const name = match[1] ?? match[2]!;
        if (!NOT_SETTINGS.has(name) && !(name in SETTINGS)) undeclared.push(`${file}: ${name}`);
      }
    }
    assert.deepEqual(undeclared, [], 'declare these in app/_lib/config.mjs');
  });
});

describe('npm run config', () => {
  it('prints every setting with its value, a secret masked, and whether it was set', () => {
    const secret = 'Zq8-not-for-printing-7Hw-0123456789abcdef';
    const run = runConfigScript({ AUTH_SECRET: secret, TRUST_PROXY: '1', METRICS_TOKEN: 'another-secret-token-Yk4' });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!run.stdout.includes('not-for-printing') && !run.stdout.includes('Yk4'), 'a secret was printed');
    assert.match(run.stdout, /^ {2}AUTH_SECRET +\*\*\*\* +set$/m);
    assert.match(run.stdout, /^ {2}METRICS_TOKEN +\*\*\*\* +set$/m);
    assert.match(run.stdout, /^ {2}TRUST_PROXY +1 +set$/m);
    assert.match(run.stdout, /^ {2}DATABASE_PATH +data\/blog\.db +default$/m);
    for (const name of Object.keys(SETTINGS)) assert.match(run.stdout, new RegExp(`^ {2}${name} `, 'm'), name);
  });

  it('with a bad value prints its line and exits 1', () => {
    const run = runConfigScript({ ...REFUSALS.TRUST_PROXY[0], ...REFUSALS.METRICS_TOKEN[0] });
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `[config] ${REFUSALS.TRUST_PROXY[1]}\n[config] ${REFUSALS.METRICS_TOKEN[1]}\n`);
    assert.ok(!run.stderr.includes('short-t0ken'));
  });

  it('-- --markdown prints the configuration tables', () => {
    const run = runConfigScript({}, ['--markdown']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `${markdownTables()}\n`);
  });
});
