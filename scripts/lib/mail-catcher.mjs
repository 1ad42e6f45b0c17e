/*
 * A real SMTP server on loopback that keeps every message it accepts, parsed: the one
 * implementation behind e2e/mail-catcher.ts (in a spec's own process) and
 * scripts/mail-catcher-server.mjs (a process of its own, with an HTTP control API).
 *
 * `smtp-server` speaks the protocol and `mailparser` reads the MIME, so what the tests check is
 * what a mail server would have received. A message is stored only once it has been received
 * in full and parsed, and acknowledged (250) only after that: a sender that got its 250 can
 * count on the message being here, and one that did not will send it again.
 */
import { EventEmitter } from 'node:events';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** Larger than any mail the blog sends; a message over it is refused with 552 and not kept. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * @typedef {{ name: string, address: string }} MailAddress
 * @typedef {{
 *   id: number,
 *   receivedAt: string,
 *   envelope: { mailFrom: string, rcptTo: string[], user: string | null },
 *   from: MailAddress | null,
 *   to: MailAddress[],
 *   cc: MailAddress[],
 *   replyTo: MailAddress[],
 *   subject: string,
 *   text: string,
 *   html: string | null,
 *   messageId: string | null,
 *   inReplyTo: string | null,
 *   date: string | null,
 *   headers: Record<string, string>,
 *   attachments: { filename: string | null, contentType: string, size: number }[],
 *   size: number,
 *   raw: string,
 * }} CaughtMail
 * @typedef {(mail: CaughtMail) => boolean} MailPredicate
 */

/** Every mailbox of an address header (or of its repeats), groups replaced by their members. */
function addresses(header) {
  const objects = header ? [header].flat() : [];
  const flatten = (entry) => (entry.group ? entry.group.flatMap(flatten) : [{ name: entry.name ?? '', address: entry.address ?? '' }]);
  return objects.flatMap((object) => object.value.flatMap(flatten));
}

/**
 * Headers by lowercase name, as strings a test can compare: mailparser's decoded value where it
 * is text (Subject, custom X- headers), else the header's own value unfolded (addresses, Date,
 * Content-Type, List-Unsubscribe, which mailparser folds into structured objects). A repeated
 * header gives its values one per line.
 */
function headerStrings(parsed) {
  /** @type {Record<string, string[]>} */
  const lines = {};
  for (const { key, line } of parsed.headerLines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    (lines[key] ??= []).push(value);
  }
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [key, values] of Object.entries(lines)) {
    const decoded = parsed.headers.get(key);
    const texts = [decoded].flat();
    headers[key] = texts.length > 0 && texts.every((value) => typeof value === 'string') ? texts.join('\n') : values.join('\n');
  }
  return headers;
}

/**
 * Whether `address` is a recipient: in the envelope (Bcc included) or in the To and Cc headers.
 * @param {CaughtMail} mail
 * @param {string} address
 * @returns {boolean}
 */
export function isAddressedTo(mail, address) {
  const wanted = address.trim().toLowerCase();
  return [...mail.envelope.rcptTo, ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address)].some(
    (candidate) => candidate.toLowerCase() === wanted,
  );
}

/** A line per message for error reports: who it went to and its subject, never its body. */
function summary(mails) {
  if (mails.length === 0) return 'no message was caught';
  return `caught: ${mails.map((m) => `#${m.id} to ${m.envelope.rcptTo.join(', ')} "${m.subject}"`).join('; ')}`;
}

/**
 * Runs a waiter's predicate on an arriving message. It runs while the message is being stored,
 * so what it throws must end that wait, not reach the SMTP side (which would refuse a message
 * already kept, and the sender would send it twice).
 */
function check(predicate, mail) {
  try {
    return { matches: Boolean(predicate(mail)), failed: false, error: undefined };
  } catch (error) {
    return { matches: true, failed: true, error };
  }
}

/**
 * Starts the catcher listening on 127.0.0.1:`port` (0: a free port, kept for later restarts).
 * `onMessage` is told of each message once it is stored.
 * @param {{ port?: number, maxMessageBytes?: number, onMessage?: (mail: CaughtMail) => void }} [options]
 */
export async function createMailCatcher({ port = 0, maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES, onMessage } = {}) {
  /** @type {CaughtMail[]} */
  let caught = [];
  let nextId = 1;
  const arrivals = new EventEmitter();
  arrivals.setMaxListeners(0);
  /** Messages in DATA whose answer is not sent yet: a stop lets them finish first. */
  const inFlight = new Set();
  /** Connections that have closed, by session id: a held message whose sender left is dropped. */
  const closedSessions = new Set();
  /** While set, the next message is held unanswered (holdNext) until released. */
  let hold = null;
  /** @type {SMTPServer | null} */
  let smtp = null;
  let boundPort = port;
  // start/stop/close run one after another, so a stop never races the start before it.
  let queue = Promise.resolve();
  const serially = (step) => (queue = queue.then(step, step));

  /** Reads one message whole, parses it and stores it; resolves once it is stored. */
  function receive(stream, session) {
    // The session's envelope is reset when the transaction ends; keep a copy.
    const envelope = {
      mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      rcptTo: session.envelope.rcptTo.map((r) => r.address),
      user: typeof session.user === 'string' ? session.user : null,
    };
    return new Promise((resolve, reject) => {
      const chunks = [];
      let ended = false;
      stream.on('data', (chunk) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      // A client that goes away mid-message: nothing to store, nothing to answer.
      stream.on('error', reject);
      stream.on('close', () => {
        if (!ended) reject(new Error('the message was cut off'));
      });
      stream.on('end', async () => {
        ended = true;
        if (hold) {
          // Held as a slow server holds it: received whole, not yet answered. A server only takes
          // responsibility for a message with its 250, so if the client is gone by the time the
          // hold ends, the message is dropped, as a real server drops a transaction it never
          // acknowledged.
          const current = hold;
          hold = null;
          current.arrived({ raw: Buffer.concat(chunks).toString('utf8'), sessionId: session.id });
          await current.gate;
          if (closedSessions.has(session.id)) {
            reject(new Error('the client left before the message was acknowledged'));
            return;
          }
        }
        if (stream.sizeExceeded) {
          // smtp-server answers 552 itself (rejectOversized); the message is not kept.
          reject(Object.assign(new Error(`message exceeds fixed maximum message size ${maxMessageBytes}`), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((parsed) => {
          /** @type {CaughtMail} */
          const mail = {
            id: nextId++,
            receivedAt: new Date().toISOString(),
            envelope,
            from: addresses(parsed.from)[0] ?? null,
            to: addresses(parsed.to),
            cc: addresses(parsed.cc),
            replyTo: addresses(parsed.replyTo),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            messageId: parsed.messageId ?? null,
            inReplyTo: parsed.inReplyTo ?? null,
            date: parsed.date ? parsed.date.toISOString() : null,
            headers: headerStrings(parsed),
            attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
            size: raw.length,
            raw: raw.toString('utf8'),
          };
          caught.push(mail);
          resolve(mail);
          // Stored, so it is acknowledged whatever a listener does: waiters catch their
          // predicate's errors (check()), and onMessage's are only reported.
          arrivals.emit('mail', mail);
          try {
            onMessage?.(mail);
          } catch (error) {
            console.error('[mail-catcher] onMessage failed:', error);
          }
        }, (error) => reject(Object.assign(new Error(`the message could not be parsed: ${error.message}`), { responseCode: 451 })));
      });
    });
  }

  function newServer() {
    return new SMTPServer({
      name: 'mail-catcher.localhost',
      banner: 'mail catcher for tests',
      // Plain SMTP on loopback: no TLS to offer, so AUTH is allowed in the clear and optional,
      // and any PLAIN or LOGIN credentials are accepted (smtp://user:pass@ URLs work).
      disabledCommands: ['STARTTLS'],
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: true,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username ?? '' });
      },
      size: maxMessageBytes,
      rejectOversized: true,
      disableReverseLookup: true,
      logger: false,
      onClose(session) {
        closedSessions.add(session.id);
        for (const waiter of closeWaiters) waiter(session.id);
      },
      onData(stream, session, callback) {
        const done = receive(stream, session).then(
          (mail) => callback(null, `OK: queued as ${mail.id}`),
          (error) => callback(error),
        );
        inFlight.add(done);
        done.finally(() => inFlight.delete(done));
      },
    });
  }

  async function listen() {
    if (smtp) return;
    const server = newServer();
    // Client errors (a reset connection) are the client's business; listen errors reject below.
    server.on('error', () => {});
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(boundPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve(undefined);
      });
    });
    boundPort = /** @type {import('node:net').AddressInfo} */ (server.server.address()).port;
    smtp = server;
  }

  /**
   * Stops listening at once (new connections are refused), lets messages already in DATA be
   * stored and answered, then closes every open connection with 421, pooled idle ones too,
   * as a server going down would. smtp-server's own close() would wait 30 s for idle clients.
   */
  async function unlisten() {
    const server = smtp;
    if (!server) return;
    smtp = null;
    const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    // A 421 reply also closes the connection (smtp-server does that for every 421).
    for (const connection of server.connections) connection.send(421, 'mail catcher stopping');
    await closed;
  }

  /**
   * The first message matching `predicate` to arrive within `ms`, or null. A predicate that
   * throws (a failed assertion in a test's check) rejects with its error.
   * @param {MailPredicate} predicate
   * @param {number} ms
   * @returns {Promise<CaughtMail | null>}
   */
  function firstArrival(predicate, ms) {
    return new Promise((resolve, reject) => {
      const onMail = (mail) => {
        const result = check(predicate, mail);
        if (!result.matches) return;
        clearTimeout(timer);
        arrivals.off('mail', onMail);
        if (result.failed) reject(result.error);
        else resolve(mail);
      };
      const timer = setTimeout(() => {
        arrivals.off('mail', onMail);
        resolve(null);
      }, ms);
      arrivals.on('mail', onMail);
    });
  }

  /** @type {Set<(sessionId: string) => void>} */
  const closeWaiters = new Set();
  /** Resolves once the connection of `sessionId` has closed. */
  function sessionClosed(sessionId) {
    if (closedSessions.has(sessionId)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = (id) => {
        if (id !== sessionId) return;
        closeWaiters.delete(waiter);
        resolve(undefined);
      };
      closeWaiters.add(waiter);
    });
  }

  await listen();

  const catcher = {
    get port() {
      return boundPort;
    },
    get url() {
      return `smtp://127.0.0.1:${boundPort}`;
    },
    /** Whether SMTP is accepting connections now. */
    get listening() {
      return smtp !== null;
    },
    /** Every message caught since the start or the last clear(), oldest first. */
    messages() {
      return [...caught];
    },
    /**
     * The first message (oldest first) matching `predicate`, caught already or arriving within
     * `timeoutMs`; rejects with what was caught otherwise.
     * @param {MailPredicate} [predicate]
     * @param {{ timeoutMs?: number }} [options]
     * @returns {Promise<CaughtMail>}
     */
    async waitForMail(predicate = () => true, { timeoutMs = 10_000 } = {}) {
      const mail = caught.find(predicate) ?? (await firstArrival(predicate, timeoutMs));
      if (!mail) throw new Error(`no matching mail within ${timeoutMs} ms (${summary(caught)})`);
      return mail;
    },
    /**
     * Resolves after `forMs` if no message matching `predicate` was caught, counting those
     * caught before the call; rejects as soon as one is. To check a mail came exactly once,
     * leave the first out by its id.
     * @param {MailPredicate} predicate
     * @param {number} forMs
     * @returns {Promise<void>}
     */
    async expectNoMail(predicate, forMs) {
      const mail = caught.find(predicate) ?? (await firstArrival(predicate, forMs));
      if (mail) throw new Error(`unexpected mail #${mail.id} (${summary([mail])})`);
    },
    /**
     * Holds the next message once it has arrived whole, unanswered, until `release()`: a sender
     * can be stopped mid-delivery. `arrived` resolves with its raw source; `senderGone` once
     * that connection has closed. Released after its sender left, the message is dropped.
     */
    holdNext() {
      let open = () => {};
      const gate = new Promise((resolve) => (open = resolve));
      /** @type {(held: { raw: string, sessionId: string }) => void} */
      let arrived = () => {};
      const arrival = new Promise((resolve) => (arrived = resolve));
      hold = { gate, arrived };
      return {
        arrived: arrival.then((held) => held.raw),
        senderGone: arrival.then((held) => sessionClosed(held.sessionId)),
        release: () => {
          hold = null;
          open(undefined);
        },
      };
    },
    /** Forgets every message caught so far; returns how many there were. */
    clear() {
      const count = caught.length;
      caught = [];
      return count;
    },
    /** Stops listening, as a server that is down: connections to the port are refused. */
    stopSmtp() {
      return serially(unlisten);
    },
    /** Listens again on the same port. */
    startSmtp() {
      return serially(listen);
    },
    /** Stops SMTP for good. */
    close() {
      return serially(unlisten);
    },
  };
  return catcher;
}
