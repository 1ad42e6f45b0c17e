/*
 * Where mail goes: the SMTP server of SMTP_URL, or, without one (a fresh clone, the tests),
 * `mail/` in the data folder, one `.eml` file per message that any mail program opens. Both get
 * the message nodemailer builds (MIME, encodings, header folding): the file writer is its
 * stream transport, buffered, so a file holds exactly what SMTP would have carried.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { databasePath } from '@/db/index';
import { settings } from '../config.mjs';
import { site } from '../content/site';
import { logger } from '../ops/logger';

export type OutgoingMail = {
  from: Mail.Address;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** With its angle brackets; the same on every retry. */
  messageId: string;
  date: Date;
  headers: Record<string, string>;
};

export type MailTransport = {
  kind: 'smtp' | 'file';
  /** For the log: the server's host and port (never its credentials), or the folder. */
  target: string;
  /** Resolves once the server accepted the message (or the file is in place); rejects otherwise. */
  send(message: OutgoingMail): Promise<void>;
  close(): void;
};

/**
 * SMTP timeouts, short enough that one delivery cannot outlast the outbox's claim
 * (app/_lib/mail/outbox.ts): a dead server fails in seconds and the message waits for its retry.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** The folder `.eml` files go to without SMTP_URL: `mail/` beside the database. */
export function mailFolder(): string {
  return path.join(path.dirname(databasePath()), 'mail');
}

/** A file name from a Message-ID: the same message always lands in the same file. */
export function emlFileName(messageId: string): string {
  return `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9.@_-]/g, '_')}.eml`;
}

/** The sender: MAIL_FROM, or the site's name at no-reply@ the site's host. */
export function mailFrom(config = settings()): Mail.Address {
  if (config.MAIL_FROM) return { name: config.MAIL_FROM.name ?? '', address: config.MAIL_FROM.address };
  return { name: config.SITE_NAME, address: `no-reply@${new URL(site.url).hostname.replace(/^\[|\]$/g, '')}` };
}

function fields(message: OutgoingMail): Mail.Options {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    date: message.date,
    headers: message.headers,
  };
}

function smtpTransport(url: string): MailTransport {
  const parsed = new URL(url);
  const transporter = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
  return {
    kind: 'smtp',
    target: `${parsed.protocol}//${parsed.host}`,
    async send(message) {
      await transporter.sendMail(fields(message));
    },
    close: () => transporter.close(),
  };
}

function fileTransport(folder: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let made: Promise<unknown> | null = null;
  return {
    kind: 'file',
    target: folder,
    async send(message) {
      const info = await transporter.sendMail(fields(message));
      // Asynchronous: the sender runs on the server's thread, between requests.
      // Made once per transport; a failure is tried again on the next message.
      made ??= fs.promises.mkdir(folder, { recursive: true }).catch((error: unknown) => {
        made = null;
        throw error;
      });
      await made;
      const file = path.join(folder, emlFileName(message.messageId));
      // Written beside, then renamed: a reader of the folder never sees half a message, and a
      // retry of the same message replaces its file instead of adding a second one.
      const partial = `${file}.${process.pid}.partial`;
      await fs.promises.writeFile(partial, info.message as Buffer).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') made = null; // the folder went away
        throw error;
      });
      await fs.promises.rename(partial, file);
    },
    close: () => transporter.close(),
  };
}

/** A transport for these settings (tests make their own; the server uses mailTransport()). */
export function createMailTransport(smtpUrl: string | undefined, folder: string = mailFolder()): MailTransport {
  return smtpUrl ? smtpTransport(smtpUrl) : fileTransport(folder);
}

const holder = globalThis as unknown as { __blogMailTransport?: { key: string; transport: MailTransport } };

/** The process's transport, made on first use from SMTP_URL and DATABASE_PATH. */
export function mailTransport(): MailTransport {
  const smtpUrl = settings().SMTP_URL;
  const key = `${smtpUrl ?? ''}\n${mailFolder()}`;
  if (holder.__blogMailTransport?.key !== key) {
    holder.__blogMailTransport?.transport.close();
    holder.__blogMailTransport = { key, transport: createMailTransport(smtpUrl) };
  }
  return holder.__blogMailTransport.transport;
}

/** One line at start saying where mail goes (instrumentation.ts). */
export function logMailTransport(): void {
  const transport = mailTransport();
  if (transport.kind === 'smtp') logger().info({ component: 'mail' }, `mail: sent through the SMTP server at ${transport.target}`);
  else logger().info({ component: 'mail' }, `mail: SMTP_URL is unset, so each message is written to ${transport.target} as an .eml file instead of being sent`);
}
