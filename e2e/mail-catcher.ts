/*
 * A real SMTP server on loopback in the spec's own process, for specs that start a server of
 * their own (e2e/own-servers.ts) and point its SMTP_URL here. The e2e server sends to the
 * catcher Playwright starts instead (playwright.config.ts), read through mailTo/waitForMailTo
 * in e2e/fixtures.ts. Both are scripts/lib/mail-catcher.mjs: smtp-server receives, mailparser
 * parses, and a message is acknowledged only once it is stored.
 */
import { createMailCatcher } from '../scripts/lib/mail-catcher.mjs';

export type MailAddress = { name: string; address: string };

/** A message as received: mailparser's reading of it, the SMTP envelope and the raw source. */
export type Caught = {
  /** 1, 2, … in the order messages were stored. */
  id: number;
  receivedAt: string;
  /** MAIL FROM, RCPT TO (Bcc recipients included) and the AUTH user name, if the sender logged in. */
  envelope: { mailFrom: string; rcptTo: string[]; user: string | null };
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  /** The text/plain part (mailparser makes one from the HTML when there is none). */
  text: string;
  html: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  date: string | null;
  /** By lowercase name: decoded text where the header is text, else its unfolded value. */
  headers: Record<string, string>;
  attachments: { filename: string | null; contentType: string; size: number }[];
  /** Bytes received. */
  size: number;
  /** The message source as received (read as UTF-8). */
  raw: string;
};

export type MailCatcher = {
  readonly port: number;
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  readonly url: string;
  readonly listening: boolean;
  /** Every message caught since the start or the last clear(), oldest first. */
  messages(): Caught[];
  /** The first message matching, caught already or arriving within timeoutMs (default 10 s). */
  waitForMail(predicate?: (mail: Caught) => boolean, options?: { timeoutMs?: number }): Promise<Caught>;
  /** Rejects if a message matching was caught before the call or arrives within forMs. */
  expectNoMail(predicate: (mail: Caught) => boolean, forMs: number): Promise<void>;
  /**
   * Holds the next message, received whole but unanswered, until release(): `arrived` gives its
   * raw source, `senderGone` resolves when its connection closes. Released after the sender left,
   * it is dropped (never acknowledged, so never the catcher's).
   */
  holdNext(): { arrived: Promise<string>; senderGone: Promise<void>; release: () => void };
  /** Forgets what was caught; returns how many messages that was. */
  clear(): number;
  /** Stops listening, as a server that is down: connections are refused, open ones get 421. */
  stopSmtp(): Promise<void>;
  /** Listens again on the same port. */
  startSmtp(): Promise<void>;
  close(): Promise<void>;
};

/**
 * Starts a catcher on 127.0.0.1 (`port` 0 or left out: a free port, kept across restarts).
 * Messages over `maxMessageBytes` (10 MiB by default) are refused with 552 and not kept.
 */
export async function startMailCatcher(options: { port?: number; maxMessageBytes?: number } = {}): Promise<MailCatcher> {
  return (await createMailCatcher(options)) as MailCatcher;
}

export { isAddressedTo } from '../scripts/lib/mail-catcher.mjs';
