// @ts-check
/*
 * The Content-Security-Policy, written once for both ways a page reaches a reader:
 *
 * - Pages rendered per request (signed in, sign-in forms, moderation) get a fresh nonce from
 *   proxy.ts. Next stamps it on every script it writes, and the policy allows that nonce.
 * - Pages served from Next's cache (the signed-out article and its views, the 404 page) cannot
 *   carry a per-request nonce: the same bytes go to every reader. Instead the cache handler
 *   (cache-handler.mjs) hashes each inline script Next wrote into the cached HTML when the entry is
 *   stored and keeps a policy listing exactly those hashes as one of the entry's headers, so the cached
 *   bytes and their policy are always served (and cached by nginx) together.
 *
 * Either way the page may run scripts from this origin (Next's own bundles) and the inline
 * scripts Next wrote into that very response, nothing else: no 'unsafe-inline' for scripts.
 * Plain JavaScript (not TypeScript) because Next loads the cache handler at run time, unbundled.
 */
import crypto from 'node:crypto';
import { Parser } from 'htmlparser2';

/** Script types a browser executes; anything else (application/ld+json) is a data block. */
const EXECUTABLE_TYPES = new Set(['', 'text/javascript', 'application/javascript', 'module']);

/** Marks the policies built here, so the cache handler can tell an entry already has one. */
export const CSP_HEADER = 'content-security-policy';

/**
 * @param {string[]} scriptSources the nonce or hashes that admit inline scripts
 * @returns {string}
 */
function policy(scriptSources) {
  // Next's development server evaluates code with eval for its debugging aids; production never.
  const dev = process.env.NODE_ENV === 'development' ? ["'unsafe-eval'"] : [];
  return [
    "default-src 'self'",
    ["script-src 'self'", ...scriptSources, ...dev].join(' '),
    // Inline style attributes (poll bars, avatar hues) need this; no style can run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh nonce for one response: 128 random bits. */
export function createNonce() {
  return crypto.randomBytes(16).toString('base64');
}

/**
 * The policy for a page rendered for this request alone.
 * @param {string} nonce
 */
export function noncePolicy(nonce) {
  return policy([`'nonce-${nonce}'`]);
}

/**
 * The inline scripts a browser would run from this HTML, in document order, as their exact
 * source text (script contents are raw text: never entity-decoded).
 * @param {string} html
 * @returns {string[]}
 */
export function inlineScripts(html) {
  /** @type {string[]} */
  const scripts = [];
  /** @type {string | null} */
  let current = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name !== 'script' || 'src' in attributes) return;
        const type = (attributes.type ?? '').trim().toLowerCase();
        if (EXECUTABLE_TYPES.has(type)) current = '';
      },
      ontext(text) {
        if (current !== null) current += text;
      },
      onclosetag(name) {
        if (name === 'script' && current !== null) {
          scripts.push(current);
          current = null;
        }
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return scripts;
}

/*
 * The calls Next writes as inline scripts: its flight data (self.__next_f) and Turbopack's chunk
 * list. Each passes one JSON value, so a script of this shape carries data and no code of its
 * own; anything else inline (a sanitizer failure) is left out of the policy and cannot run.
 */
const NEXT_SCRIPT_CALLS = [
  '(self.__next_f=self.__next_f||[]).push(',
  'self.__next_f.push(',
  '(globalThis["TURBOPACK"] || (globalThis["TURBOPACK"] = [])).push(',
];

/**
 * Whether an inline script is one Next wrote: a known call with one JSON argument (and an
 * optional closing semicolon, which Turbopack's has).
 * @param {string} script
 */
export function isNextScript(script) {
  const call = NEXT_SCRIPT_CALLS.find((prefix) => script.startsWith(prefix));
  const statement = script.endsWith(';') ? script.slice(0, -1) : script;
  if (!call || !statement.endsWith(')')) return false;
  try {
    JSON.parse(statement.slice(call.length, -1));
    return true;
  } catch {
    return false;
  }
}

/**
 * The policy for cached HTML: each inline script Next wrote into it, by SHA-256 hash.
 * @param {string} html
 */
export function hashPolicy(html) {
  const hashes = new Set(
    inlineScripts(html)
      .filter(isNextScript)
      .map((script) => `'sha256-${crypto.createHash('sha256').update(script, 'utf8').digest('base64')}'`),
  );
  return policy([...hashes]);
}
