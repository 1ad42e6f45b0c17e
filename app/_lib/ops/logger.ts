/*
 * The server's one logger: pino, one JSON line per event on stdout, which systemd's journal or a
 * container runtime collects. Level from LOG_LEVEL.
 *
 * Nothing a reader types or holds reaches the log: fields named like secrets are replaced by
 * pino's redaction, and any address-shaped text in a message or an error is masked, because
 * libraries (Auth.js, Next) write free text we do not control. Request lines carry the path
 * without its query string, where tokens travel.
 */
import util from 'node:util';
import pino, { type Logger } from 'pino';
import { settings } from '../config.mjs';

const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'email', 'cookie', 'authorization', 'token', 'secret', 'set-cookie'];

/** Redaction paths for each secret key at the top level and two levels down. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const field = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const nested = field.startsWith('[') ? field : `.${field}`;
  return [field, `*${nested}`, `*.*${nested}`];
});

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** Text with every email address masked. */
export function scrub(text: string): string {
  return text.replace(EMAIL, '[email]');
}

/** An error as one object (its stack is one JSON string, so one line), with addresses masked. */
function serializeError(error: unknown): Record<string, unknown> {
  const plain = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plain)) out[key] = typeof value === 'string' ? scrub(value) : value;
  return out;
}

/** A logger writing to `destination` (stdout unless a test gives its own stream). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        // Messages and format arguments are free text: mask addresses in them too.
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

const holder = globalThis as unknown as { __blogLogger?: Logger };

/** The process's logger (one per process: Next may load this module in more than one bundle). */
export function logger(): Logger {
  // Asynchronous: under load, lines that arrive while a write is in flight go out together in
  // the next one, instead of a blocking write(2) per request; at low traffic each is written at
  // once. pino flushes on exit (and the graceful stop flushes); a kill -9 may lose the last lines.
  holder.__blogLogger ??= createLogger(settings().LOG_LEVEL, pino.destination({ dest: 1, sync: false }));
  return holder.__blogLogger;
}

/**
 * Sends console output through the logger, so that what Next and libraries print (warnings, a
 * failed render's stack) is one JSON line like everything else. An Error among the arguments
 * becomes the line's `err`.
 */
export function routeConsoleToLogger(log: Logger = logger()): void {
  const levels = { debug: 'debug', log: 'info', info: 'info', warn: 'warn', error: 'error' } as const;
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      const error = args.find((arg) => arg instanceof Error);
      const rest = args.filter((arg) => arg !== error);
      const message = util.stripVTControlCharacters(util.format(...rest)).trim();
      if (error) log[level]({ err: error }, message || (error as Error).message);
      else log[level](message);
    };
  }
}
