// @ts-check
/*
 * Every setting the server reads, declared once: its zod schema (which parses the text of the
 * environment variable), its default and what it does. The configuration table in docs/configuration.md is
 * generated from this list (`npm run config -- --markdown`) and a unit test keeps the two equal.
 *
 * An .mjs file, so that Next's page cache handler (loaded outside the bundle), next.config.js and
 * plain node scripts (`npm run config`) can import it as well as the app's TypeScript. Not for
 * client components: it would bring zod into the browser (NEXT_PUBLIC_LIVE_POLL_MS is declared
 * and checked here, and the browser bundle reads its own copy, inlined by `next build`).
 */
import { z } from 'zod';
import { DEFAULT_DATABASE_PATH } from '../../db/default-path.mjs';

/**
 * A whole number written in decimal, from `min` to `max`; `what` says what it counts.
 * @param {number} min
 * @param {number} [max]
 * @param {string} [what]
 */
function whole(min, max = 1_000_000_000, what) {
  const accepted = `${what ? `${what}, ` : ''}a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  return z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, accepted)
    .transform(Number)
    .refine((n) => n >= min && n <= max, accepted);
}

/**
 * One of a few words.
 * @template {string} T
 * @param {readonly [T, ...T[]]} values
 */
function oneOf(values) {
  return z
    .string()
    .trim()
    .refine((v) => /** @type {readonly string[]} */ (values).includes(v), `one of ${values.join(', ')}`)
    .transform((v) => /** @type {T} */ (v));
}

const text = z.string();
const flag = z
  .string()
  .trim()
  .refine((v) => v === '0' || v === '1', '0 or 1')
  .transform((v) => v === '1');
const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'an absolute http:// or https:// URL');
/** A site's origin, given as a URL with no path: its origin, without a trailing slash. */
const origin = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const url = new URL(v);
      return ['http:', 'https:'].includes(url.protocol) && url.pathname === '/' && !url.search && !url.hash && !url.username;
    } catch {
      return false;
    }
  }, 'an origin: http:// or https://, a host and an optional port, no path (like https://news.example)')
  .transform((v) => new URL(v).origin);
/** Text with something in it besides spaces. */
const nonEmpty = z.string().trim().min(1, 'some text');
/** A comma-separated list, each entry trimmed and lowercased, empty entries dropped. */
const lowercaseList = z.string().transform((v) =>
  v
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean),
);
const emailList = lowercaseList.refine(
  (list) => list.every((entry) => /^[^\s@]+@[^\s@]+$/.test(entry)),
  'a comma-separated list of email addresses (name@example.com, ...)',
);
/** A path to a file (a value ending in a slash names a folder). */
const filePath = z.string().refine((v) => !/[/\\]\s*$/.test(v), 'the path of a file, not of a folder (no trailing /)');
/** A folder inside the project, as Next's distDir wants it. */
const projectFolder = z
  .string()
  .trim()
  .refine(
    (v) => !/^([/\\]|[a-z]:)/i.test(v) && !/(^|[/\\])\.\.([/\\]|$)/.test(v) && !['.', 'public', 'app'].includes(v.replace(/[/\\]+$/, '')),
    'a folder inside the project, relative to it (like .next or .bench/next), and not ., public or app',
  );
/** An article's slug, as db/content.ts accepts it. */
const slug = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "an article's slug: lowercase letters, digits and single hyphens");

/** An SMTP server's URL: smtp:// (STARTTLS when offered) or smtps:// (TLS from the start), with a host. */
const smtpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const url = new URL(v);
      return ['smtp:', 'smtps:'].includes(url.protocol) && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'an smtp:// or smtps:// URL with a host, like smtp://user:password@mail.example:587');
const ADDRESS = /^[^\s@<>,;"()[\]\\]+@[^\s@<>,;"()[\]\\]+$/;
/**
 * A sender: an address, or a display name and an address in angle brackets (the name may be in
 * double quotes). Parsed into its parts so that a comma or a non-ASCII letter in the name is
 * encoded by nodemailer rather than read as a second address; no line breaks (header injection).
 */
const mailbox = z
  .string()
  .trim()
  .transform((v, context) => {
    const named = /^(.*?)\s*<([^<>]*)>$/.exec(v);
    const name = (named?.[1] ?? '').replace(/^"(.*)"$/, '$1').trim();
    const address = named ? (named[2] ?? '').trim() : v;
    if (!ADDRESS.test(address) || /[\r\n<>"]/.test(name)) {
      context.addIssue({ code: 'custom', message: 'an address (no-reply@news.example) or a name and an address (News <no-reply@news.example>)' });
      return z.NEVER;
    }
    return { name: name || null, address };
  });

/** A production AUTH_SECRET must be at least this long and not start like a placeholder. */
export const MIN_SECRET_LENGTH = 32;
const PLACEHOLDER_SECRET = /^(changeme|secret|password|your[-_ ]?secret|test|development)/i;

/**
 * @typedef {object} Setting
 * @property {z.ZodType} schema parses the variable's text
 * @property {string | undefined} default the text used when the variable is unset or empty
 * @property {string} [defaultNote] shown as the default when there is none (`default: undefined`)
 * @property {string} description one line for docs/configuration.md and `npm run config`
 * @property {string} group the table in docs/configuration.md it belongs to
 * @property {boolean} [secret] masked wherever it is printed
 */

/** @satisfies {Record<string, Setting>} */
export const SETTINGS = /** @type {const} */ ({
  DATABASE_PATH: {
    schema: filePath,
    default: DEFAULT_DATABASE_PATH,
    description: 'the SQLite file; its folder is created if missing, and a folder that cannot be created or written stops the start with one line saying which folder and what to do',
    group: 'Site and server',
  },
  PORT: {
    schema: whole(1, 65535, 'a TCP port'),
    default: '3000',
    description: 'the port `npm start` listens on (`next start` reads it); the app also uses it for its own address, and for `http://localhost:$PORT` when `SITE_URL` is unset',
    group: 'Site and server',
  },
  SITE_URL: {
    schema: origin,
    default: undefined,
    defaultNote: 'unset',
    description:
      'the public origin (`https://news.example`). Set it in production: canonical URLs, Open Graph and JSON-LD are written into cached pages every visitor shares, so they cannot follow the request and fall back to `http://localhost:$PORT`. When set, sign-in redirects and provider callbacks always use it; unset, they follow each request (its `Host`, or, with `TRUST_PROXY` set, the `X-Forwarded-Host` / `-Proto` the shipped nginx config sends), so `PORT=4000 npm start` or another host name works without it',
    group: 'Site and server',
  },
  SITE_NAME: {
    schema: text,
    default: 'The Handset Ledger',
    description: "the publication's name",
    group: 'Site and server',
  },
  NEXT_DIST_DIR: {
    schema: projectFolder,
    default: '.next',
    description: 'the build folder, for `next build` and `next start` alike (the benchmark builds into `.bench/next`)',
    group: 'Site and server',
  },
  TRUST_PROXY: {
    schema: whole(0, 99, 'the number of proxies in front of the server'),
    default: '0',
    description:
      "how many proxies in front of `next start` append the client's address to `X-Forwarded-For` (`1` behind `deploy/nginx.conf`). With `0`, every client shares one bucket, so each per-IP limit is a site-wide limit (see below)",
    group: 'Site and server',
  },
  PAGE_CACHE_MAX_ENTRIES: {
    schema: whole(1, 999_999_999),
    default: '2000',
    description: "the most pages Next's page cache keeps on disk; past this or `PAGE_CACHE_MAX_MB`, the least recently used are removed",
    group: 'Site and server',
  },
  PAGE_CACHE_MAX_MB: {
    schema: whole(1, 999_999_999),
    default: '256',
    description: "the most megabytes Next's page cache keeps on disk; past this or `PAGE_CACHE_MAX_ENTRIES`, the least recently used pages are removed",
    group: 'Site and server',
  },
  SEARCH_CACHE_MAX_ENTRIES: {
    schema: whole(1, 999_999_999),
    default: '500',
    description:
      'the most signed-out search results pages the page cache keeps, apart from the pages above, so a flood of distinct searches cannot push article pages out',
    group: 'Site and server',
  },
  SEARCH_CACHE_MAX_MB: {
    schema: whole(1, 999_999_999),
    default: '32',
    description: 'the most megabytes those search results pages take on disk; past this or `SEARCH_CACHE_MAX_ENTRIES`, the least recently used are removed',
    group: 'Site and server',
  },
  NEXT_PUBLIC_LIVE_POLL_MS: {
    schema: whole(1000, 3_600_000, 'milliseconds'),
    default: '10000',
    description:
      'how often an open article page asks for new comments and poll results, in milliseconds. `next build` writes it into the browser code, so set it when building; the server checks it at start like the others',
    group: 'Site and server',
  },
  AUTH_SECRET: {
    schema: text,
    default: undefined,
    defaultNote: 'generated',
    description: `the secret that encrypts session cookies; without it one is generated once into \`auth-secret\` next to the database (mode 0600) and reused. Production refuses one shorter than ${MIN_SECRET_LENGTH} characters or starting like a placeholder (\`changeme\`, \`secret\`, ...)`,
    group: 'Accounts and sign-in',
    secret: true,
  },
  AUTH_URL: {
    schema: httpUrl,
    default: undefined,
    defaultNote: 'from `SITE_URL`',
    description:
      "the URL Auth.js builds its redirects on; set to `$SITE_URL/api/auth` at start when `SITE_URL` is set, and without either Auth.js follows the origin the browser is on. Rarely needed",
    group: 'Accounts and sign-in',
  },
  OIDC_ISSUER: {
    schema: httpUrl,
    default: undefined,
    defaultNote: 'unset',
    description:
      "any OpenID Connect provider's issuer URL. Its button appears when `OIDC_ISSUER`, `OIDC_CLIENT_ID` and `OIDC_CLIENT_SECRET` are all set; some without the others stop the start. Callback: `<public origin>/api/auth/callback/oidc`; scopes `openid profile email`",
    group: 'Accounts and sign-in',
  },
  OIDC_CLIENT_ID: {
    schema: nonEmpty,
    default: undefined,
    defaultNote: 'unset',
    description: 'the client id this site has at that provider',
    group: 'Accounts and sign-in',
  },
  OIDC_CLIENT_SECRET: {
    schema: text,
    default: undefined,
    defaultNote: 'unset',
    description: "the client's secret at that provider",
    group: 'Accounts and sign-in',
    secret: true,
  },
  OIDC_NAME: {
    schema: text,
    default: 'Single sign-on',
    description: "the OpenID Connect button's label (`Continue with <this>`)",
    group: 'Accounts and sign-in',
  },
  AUTH_GITHUB_ID: {
    schema: nonEmpty,
    default: undefined,
    defaultNote: 'unset',
    description: "GitHub sign-in: the OAuth app's client id; the button appears when it and `AUTH_GITHUB_SECRET` are set (one without the other stops the start)",
    group: 'Accounts and sign-in',
  },
  AUTH_GITHUB_SECRET: {
    schema: text,
    default: undefined,
    defaultNote: 'unset',
    description: "GitHub sign-in: the OAuth app's client secret",
    group: 'Accounts and sign-in',
    secret: true,
  },
  AUTH_GOOGLE_ID: {
    schema: nonEmpty,
    default: undefined,
    defaultNote: 'unset',
    description: "Google sign-in: the OAuth client id; the button appears when it and `AUTH_GOOGLE_SECRET` are set (one without the other stops the start)",
    group: 'Accounts and sign-in',
  },
  AUTH_GOOGLE_SECRET: {
    schema: text,
    default: undefined,
    defaultNote: 'unset',
    description: "Google sign-in: the OAuth client's secret",
    group: 'Accounts and sign-in',
    secret: true,
  },
  ADMIN_EMAILS: {
    schema: emailList,
    default: '',
    description: 'comma-separated addresses that are admins once verified: by a sign-in provider, or by a mailed link for a password account (see Moderation); case does not matter',
    group: 'Accounts and sign-in',
  },
  AUTH_SIGNIN_LIMIT_PER_IP: {
    schema: whole(1),
    default: '30',
    description:
      'sign-in attempts per client address per 15 minutes (kept in SQLite, so they survive restarts); "per IP" needs `TRUST_PROXY`, see below',
    group: 'Accounts and sign-in',
  },
  AUTH_SIGNIN_LIMIT_PER_ACCOUNT: {
    schema: whole(1),
    default: '5',
    description: "sign-in attempts per account from one client address per 15 minutes, so a stranger's guesses never lock the owner out",
    group: 'Accounts and sign-in',
  },
  AUTH_SIGNIN_SLOW_AFTER: {
    schema: whole(1),
    default: '20',
    description: 'attempts on one account from all addresses per 15 minutes after which every answer for it waits 2 s (slowed, never locked)',
    group: 'Accounts and sign-in',
  },
  AUTH_SIGNUP_LIMIT_PER_IP: {
    schema: whole(1),
    default: '10',
    description: 'sign-ups per client address per hour (needs `TRUST_PROXY` to be per address)',
    group: 'Accounts and sign-in',
  },
  AUTH_MAIL_LIMIT_PER_ADDRESS: {
    schema: whole(1),
    default: '5',
    description: 'password-reset and sign-in links mailed to one address per hour, so nobody can flood a stranger\'s inbox',
    group: 'Accounts and sign-in',
  },
  AUTH_MAIL_LIMIT_PER_IP: {
    schema: whole(1),
    default: '20',
    description: 'password-reset and sign-in link requests per client address per hour (needs `TRUST_PROXY` to be per address)',
    group: 'Accounts and sign-in',
  },
  DRAFT_LIMIT_PER_IP: {
    schema: whole(1),
    default: '30',
    description: 'comments kept per client address per hour for signed-out readers who go to sign in',
    group: 'Accounts and sign-in',
  },
  PREMODERATION: {
    schema: oneOf(/** @type {const} */ (['off', 'first', 'all'])),
    default: 'off',
    description: "site-wide: `off`, `first` (a new reader's first comment waits for approval) or `all`; each article can override it in the queue",
    group: 'Moderation',
  },
  REPORT_HIDE_THRESHOLD: {
    schema: whole(0),
    default: '3',
    description: "readers' reports that hide a comment until a moderator reviews it",
    group: 'Moderation',
  },
  REPORT_MIN_ACCOUNT_AGE_HOURS: {
    schema: whole(0),
    default: '24',
    description: 'a report counts toward that threshold only if its account was this many hours old and had a shown comment; every report reaches the queue',
    group: 'Moderation',
  },
  HOLD_LINKS_AT: {
    schema: whole(0),
    default: '2',
    description: 'comments with this many links or more wait for review (`0`: never)',
    group: 'Moderation',
  },
  HOLD_WORDS: {
    schema: lowercaseList,
    default: '',
    description: 'comma-separated words; a comment containing one (in any case) waits for review',
    group: 'Moderation',
  },
  COMMENT_MIN_INTERVAL_SECONDS: {
    schema: whole(0),
    default: '15',
    description: 'one comment per reader per this many seconds',
    group: 'Reader limits',
  },
  COMMENT_HOURLY_LIMIT: {
    schema: whole(1),
    default: '30',
    description: 'comments per reader per hour',
    group: 'Reader limits',
  },
  COMMENT_DUPLICATE_MINUTES: {
    schema: whole(0),
    default: '10',
    description: 'the same text from the same reader is refused within this many minutes',
    group: 'Reader limits',
  },
  VOTE_LIMIT_PER_MINUTE: {
    schema: whole(1),
    default: '60',
    description: 'votes per reader per minute',
    group: 'Reader limits',
  },
  STANCE_LIMIT_PER_MINUTE: {
    schema: whole(1),
    default: '20',
    description: 'poll answers per reader per minute',
    group: 'Reader limits',
  },
  EDIT_LIMIT_PER_HOUR: {
    schema: whole(1),
    default: '30',
    description: 'comment edits per reader per hour',
    group: 'Reader limits',
  },
  RENAME_LIMIT_PER_HOUR: {
    schema: whole(1),
    default: '5',
    description: 'name changes per reader per hour',
    group: 'Reader limits',
  },
  EXPORT_LIMIT_PER_HOUR: {
    schema: whole(1),
    default: '3',
    description: '"Download my data" files per reader per hour',
    group: 'Reader limits',
  },
  COMMENT_RATE_LIMIT_DISABLED: {
    schema: flag,
    default: '0',
    description: '`1` turns the per-reader limits above off (the e2e server and the benchmark\'s writers use it)',
    group: 'Reader limits',
  },
  REVALIDATE_WINDOW_MS: {
    schema: whole(0),
    default: '1000',
    description: "writes to one article within this many milliseconds share one refresh of its cached pages",
    group: 'Reader limits',
  },
  SMTP_URL: {
    schema: smtpUrl,
    default: undefined,
    defaultNote: 'unset: `.eml` files',
    description:
      'the SMTP server mail goes through: `smtp://user:password@host:587` (STARTTLS when the server offers it) or `smtps://user:password@host:465` (TLS from the start); a user or password with `@`, `:` or `/` is percent-encoded. Unset, each message is written to `mail/` beside the database as an `.eml` file instead (see Mail)',
    group: 'Mail',
    secret: true,
  },
  MAIL_FROM: {
    schema: mailbox,
    default: undefined,
    defaultNote: '`SITE_NAME <no-reply@host>`',
    description: "the sender of every message: `no-reply@news.example` or `News <no-reply@news.example>`; unset, the site's name at `no-reply@` the host of `SITE_URL` (`localhost` without it)",
    group: 'Mail',
  },
  MAIL_MAX_ATTEMPTS: {
    schema: whole(1, 100),
    default: '8',
    description: 'deliveries tried per message, the waits between them doubling from 30 seconds up to an hour (8: about an hour in all); then the message is marked failed and listed for admins',
    group: 'Mail',
  },
  NOTIFY_BATCH_MINUTES: {
    schema: whole(0, 1440),
    default: '10',
    description: 'replies to one reader within this many minutes are gathered into one notification (`0`: one message per reply)',
    group: 'Mail',
  },
  NOTIFY_DELAY_SECONDS: {
    schema: whole(0, 3600),
    default: '60',
    description: 'a reply notification waits this long after the first new reply, so replies in a quick exchange share one message',
    group: 'Mail',
  },
  NOTIFY_OFF: {
    schema: flag,
    default: '0',
    description: '`1`: no reply, discussion or moderator notifications are written or mailed (the benchmark compares the cost this way)',
    group: 'Mail',
  },
  REQUIRE_VERIFIED_EMAIL: {
    schema: flag,
    default: '0',
    description: '`1`: comments by readers whose address is not verified wait for review; `0`: they appear at once (unverified readers never receive notifications either way)',
    group: 'Mail',
  },
  LOG_LEVEL: {
    schema: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'the least severe log level written (one JSON line per request at `info`)',
    group: 'Operations',
  },
  REQUEST_LOG: {
    schema: flag,
    default: '1',
    description: '`0` leaves out the per-request log line and the HTTP request metrics (the benchmark measures their cost this way); errors are still logged',
    group: 'Operations',
  },
  SHUTDOWN_TIMEOUT_SECONDS: {
    schema: whole(1, 3600),
    default: '10',
    description: 'on SIGTERM or SIGINT, how long requests in flight may take to finish before the server closes their connections and exits',
    group: 'Operations',
  },
  BACKUP_INTERVAL_HOURS: {
    schema: whole(0, 8760),
    default: '24',
    description: 'hours between the scheduled online backups into `data/backups/` (0: no scheduled backups)',
    group: 'Operations',
  },
  BACKUP_KEEP: {
    schema: whole(1, 10000),
    default: '7',
    description: 'how many scheduled backups are kept; older ones are deleted after a new one passes its integrity check',
    group: 'Operations',
  },
  METRICS_TOKEN: {
    schema: z.string().trim().min(16, 'at least 16 characters'),
    default: undefined,
    description: '`GET /api/metrics` answers a request carrying `Authorization: Bearer <this>`; without it, only requests from the machine itself (loopback)',
    group: 'Operations',
    secret: true,
  },
  RETAIN_REJECTED_DAYS: {
    schema: whole(1, 36500, 'days'),
    default: '365',
    description:
      'days after a moderator rejected a comment that its text (and its earlier versions) is kept; then the text is removed and an empty hidden comment stays, so replies and the moderation log keep their place. Comments hidden by readers\' reports and not yet decided are never emptied',
    group: 'Privacy and retention',
  },
  RETAIN_IP_DAYS: {
    schema: whole(1, 3650, 'days'),
    default: '30',
    description:
      'days at most that a rate-limit counter keyed by a client address (sign-in, sign-up, mailed links, drafts) is kept; a counter is normally deleted as soon as its window ends; this bound holds whatever the windows. `/privacy` states both retention periods',
    group: 'Privacy and retention',
  },
  BENCH_BASELINE: {
    schema: flag,
    default: '0',
    description: '`1` (set by `npm run bench` and `npm run lighthouse` for their builds) makes `/bench/baseline`, `/bench/card-baseline`, `/bench/floor` and `/bench/post-floor` real pages; otherwise they are 404s',
    group: 'Benchmark only',
  },
  BENCH_BASELINE_SLUG: {
    schema: slug,
    default: undefined,
    defaultNote: 'unset',
    description: 'the article `/bench/baseline` and `/bench/card-baseline` draw, at build time, from the database (set by `npm run bench`)',
    group: 'Benchmark only',
  },
});

/** @typedef {keyof typeof SETTINGS} SettingName */
/** @typedef {{ [K in SettingName]: (typeof SETTINGS)[K]['default'] extends string ? z.output<(typeof SETTINGS)[K]['schema']> : z.output<(typeof SETTINGS)[K]['schema']> | undefined }} Settings */

/** A setting whose value was refused; `message` names the variable, the value and what is accepted. */
export class ConfigError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** @param {string} value */
export function mask(value) {
  return value === '' ? '' : '****';
}

/**
 * The line for a refused value: the variable, its value (masked for a secret) and what is accepted.
 * @param {string} name
 * @param {string} raw
 * @param {string} accepted
 */
function problem(name, raw, accepted) {
  const setting = /** @type {Setting | undefined} */ (SETTINGS[/** @type {SettingName} */ (name)]);
  const shown = setting?.secret ? mask(raw) : raw;
  return `${name}=${JSON.stringify(shown)} is not accepted: it must be ${accepted}.`;
}

/**
 * The text a setting is read from: the variable, or its default when unset or blank.
 * @param {string} name
 * @param {Record<string, string | undefined>} env
 */
function textOf(name, env) {
  const given = env[name];
  return given === undefined || given.trim() === '' ? SETTINGS[/** @type {SettingName} */ (name)].default : given;
}

/**
 * One setting, parsed, or the line that refuses it.
 * @param {SettingName} name
 * @param {Record<string, string | undefined>} env
 * @returns {{ ok: true, value: unknown } | { ok: false, problem: string }}
 */
function readOne(name, env) {
  const raw = textOf(name, env);
  if (raw === undefined) return { ok: true, value: undefined };
  const result = /** @type {Setting} */ (SETTINGS[name]).schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const accepted = [...new Set(result.error.issues.map((issue) => issue.message))].join('; ');
  return { ok: false, problem: problem(name, raw, accepted) };
}

/**
 * A rule between settings, or between a setting and NODE_ENV: one line or null. It is checked
 * when each of `names` is valid on its own, so no value gets two lines.
 * @typedef {{ names: SettingName[], check: (env: Record<string, string | undefined>) => string | null }} Rule
 */

/**
 * Settings that only make sense together: some set without the others is one line, naming the
 * first one set and the ones missing.
 * @param {SettingName[]} names
 * @returns {Rule}
 */
function together(names) {
  const check = (/** @type {Record<string, string | undefined>} */ env) => {
    const set = names.filter((name) => textOf(name, env) !== undefined);
    if (set.length === 0 || set.length === names.length) return null;
    const missing = names.filter((name) => !set.includes(name));
    const first = /** @type {SettingName} */ (set[0]);
    const all = names.length === 2 ? 'both' : 'all three';
    return problem(first, /** @type {string} */ (textOf(first, env)), `set together with ${missing.join(' and ')} (${all} or none)`);
  };
  return { names, check };
}

/** @type {Rule[]} */
const RULES = [
  together(['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']),
  together(['AUTH_GITHUB_ID', 'AUTH_GITHUB_SECRET']),
  together(['AUTH_GOOGLE_ID', 'AUTH_GOOGLE_SECRET']),
  {
    // Production refuses a guessable session secret; elsewhere any will do (tests, a laptop).
    names: ['AUTH_SECRET'],
    check(env) {
      const secret = textOf('AUTH_SECRET', env);
      if (env.NODE_ENV !== 'production' || secret === undefined) return null;
      if (secret.length >= MIN_SECRET_LENGTH && !PLACEHOLDER_SECRET.test(secret)) return null;
      return problem(
        'AUTH_SECRET',
        secret,
        `at least ${MIN_SECRET_LENGTH} random characters in production, not a placeholder like "changeme" ` +
          '(for example the output of `openssl rand -base64 32`), or unset to have one generated in the data folder',
      );
    },
  },
];

/**
 * Every setting from `env`, parsed; throws a ConfigError with one line per refused value.
 * @param {Record<string, string | undefined>} [env]
 * @returns {Settings}
 */
export function parseSettings(env = process.env) {
  /** @type {Record<string, unknown>} */
  const out = {};
  /** @type {string[]} */
  const problems = [];
  /** @type {Set<string>} */
  const refused = new Set();
  for (const name of /** @type {SettingName[]} */ (Object.keys(SETTINGS))) {
    const result = readOne(name, env);
    if (result.ok) {
      out[name] = result.value;
    } else {
      problems.push(result.problem);
      refused.add(name);
    }
  }
  for (const rule of RULES) {
    if (rule.names.some((name) => refused.has(name))) continue;
    const line = rule.check(env);
    if (line) problems.push(line);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return /** @type {Settings} */ (out);
}

/**
 * One setting from `env` (its own rule only, not the rules between settings); throws a
 * ConfigError with its line when refused. For what runs before the whole check can (next.config.js).
 * @template {SettingName} K
 * @param {K} name
 * @param {Record<string, string | undefined>} [env]
 * @returns {Settings[K]}
 */
export function parseSetting(name, env = process.env) {
  const result = readOne(name, env);
  if (!result.ok) throw new ConfigError([result.problem]);
  return /** @type {Settings[K]} */ (result.value);
}

/** @type {Settings | undefined} */
let cached;

/**
 * The settings of this process, or of `env` when a test gives one (a ConfigError for a value the
 * server would refuse). The server reads its own once (instrumentation.ts refuses to start on a
 * bad one); tests that change process.env between calls get a fresh parse, since they do not
 * run with NODE_ENV=production.
 * @param {Record<string, string | undefined>} [env]
 * @returns {Settings}
 */
export function settings(env) {
  if (env) return parseSettings(env);
  if (process.env.NODE_ENV !== 'production') return parseSettings(process.env);
  cached ??= parseSettings(process.env);
  return cached;
}

/** The groups, in the order of their first setting: one table each in docs/configuration.md. */
export function settingGroups() {
  return [...new Set(Object.values(SETTINGS).map((setting) => setting.group))];
}

/**
 * What `npm run config` prints: each setting's effective text (secrets masked) and whether it
 * was set or is the default. Throws a ConfigError, like the server at start, when one is refused.
 * @param {Record<string, string | undefined>} [env]
 * @returns {{ name: SettingName, group: string, value: string, source: 'set' | 'default' }[]}
 */
export function effectiveSettings(env = process.env) {
  parseSettings(env);
  return /** @type {[SettingName, Setting][]} */ (Object.entries(SETTINGS)).map(([name, setting]) => {
    const given = env[name];
    const set = given !== undefined && given.trim() !== '';
    const raw = set ? given : setting.default;
    const none = `(${(setting.defaultNote ?? 'unset').replaceAll('`', '')})`;
    const value = raw === undefined ? none : raw === '' ? '(empty)' : setting.secret ? mask(raw) : raw;
    return { name, group: setting.group, value, source: set ? 'set' : 'default' };
  });
}

/**
 * The configuration tables of docs/configuration.md, one per group (`npm run config -- --markdown`); a unit test
 * keeps that copy, between `<!-- config:start -->` and `<!-- config:end -->`, equal to it.
 */
export function markdownTables() {
  /** @param {string} text */
  const cell = (text) => text.replaceAll('|', '\\|');
  return settingGroups()
    .map((group) => {
      const rows = /** @type {[string, Setting][]} */ (Object.entries(SETTINGS))
        .filter(([, setting]) => setting.group === group)
        .map(([name, setting]) => {
          const fallback = setting.default === undefined ? (setting.defaultNote ?? 'unset') : setting.default === '' ? 'empty' : `\`${setting.default}\``;
          return `| \`${name}\` | ${cell(fallback)} | ${cell(setting.description)} |`;
        });
      return [`**${group}**`, '', '| variable | default | what it does |', '| --- | --- | --- |', ...rows].join('\n');
    })
    .join('\n\n');
}

export { text, flag, httpUrl, whole, oneOf };
