// @ts-check
/*
 * Every setting the server reads, declared once: its zod schema (which parses the text of the
 * environment variable), its default and what it does. The README's configuration table is
 * generated from this list (`npm run config -- --markdown`) and a unit test keeps the two equal.
 *
 * An .mjs file, so that Next's page cache handler (loaded outside the bundle) and plain node
 * scripts can import it as well as the app's TypeScript.
 */
import { z } from 'zod';

/**
 * A whole number written in decimal, from `min` to `max`.
 * @param {number} min
 * @param {number} [max]
 */
function whole(min, max = 1_000_000_000) {
  return z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `a whole number from ${min} to ${max}`);
}

/** @param {readonly [string, ...string[]]} values */
function oneOf(values) {
  return z.string().trim().refine((v) => values.includes(v), `one of ${values.join(', ')}`);
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

/**
 * @typedef {object} Setting
 * @property {z.ZodType} schema parses the variable's text
 * @property {string | undefined} default the text used when the variable is unset or empty
 * @property {string} description one line for the README and `npm run config`
 * @property {string} group the README table it belongs to
 * @property {boolean} [secret] masked wherever it is printed
 */

/** @satisfies {Record<string, Setting>} */
export const SETTINGS = /** @type {const} */ ({
  LOG_LEVEL: {
    schema: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'the least severe log level written (one JSON line per request at `info`)',
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
 * Every setting from `env`, parsed; throws a ConfigError with one line per refused value.
 * @param {Record<string, string | undefined>} [env]
 * @returns {Settings}
 */
export function parseSettings(env = process.env) {
  /** @type {Record<string, unknown>} */
  const out = {};
  /** @type {string[]} */
  const problems = [];
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const given = env[name];
    const raw = given === undefined || given.trim() === '' ? setting.default : given;
    if (raw === undefined) {
      out[name] = undefined;
      continue;
    }
    const result = setting.schema.safeParse(raw);
    if (result.success) {
      out[name] = result.data;
    } else {
      const shown = 'secret' in setting && setting.secret ? mask(raw) : raw;
      const accepted = result.error.issues.map((issue) => issue.message).join('; ');
      problems.push(`${name}=${JSON.stringify(shown)} is not accepted: it must be ${accepted}.`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return /** @type {Settings} */ (out);
}

/** @type {Settings | undefined} */
let cached;

/**
 * The settings of this process. The server reads them once (instrumentation.ts refuses to start
 * on a bad one); tests that change process.env between calls get a fresh parse, since they run
 * with NODE_ENV=test.
 * @returns {Settings}
 */
export function settings() {
  if (process.env.NODE_ENV !== 'production') return parseSettings(process.env);
  cached ??= parseSettings(process.env);
  return cached;
}

export { text, flag, httpUrl, whole, oneOf };
