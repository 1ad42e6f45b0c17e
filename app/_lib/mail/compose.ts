/*
 * Builds a message's two parts, plain text and HTML, from the same content, so they never say
 * different things. Callers give plain strings only, never markup: every one of them is escaped
 * here, so a reader named `<script>` arrives as those characters. The site's name and address
 * sign every message. The MIME itself (encodings, boundaries, header folding) is nodemailer's job
 * at send time (transport.ts); this only decides what the message says and which headers it has.
 */
import crypto from 'node:crypto';
import { escapeUTF8 as escape } from 'entities';
import { site } from '../content/site';

export type MailContent = {
  /** The first line, e.g. "Hello Ana,". */
  greeting?: string;
  /** The body, one plain-text paragraph each. */
  paragraphs: string[];
  /** Quoted text, such as the comment a notification is about (see excerpt()). */
  quote?: { text: string; author?: string };
  /** Several things the message lists (the replies in one notification), each with its own link. */
  items?: { heading: string; text: string; url: string; label: string }[];
  /** Paragraphs after the items ("…and 4 more."). */
  closing?: string[];
  /** The one link the message is about: the comment's permalink, the reset link. */
  action?: { label: string; url: string };
  /** Small print under the signature: why this came, how to stop it. */
  footer?: string[];
  /** Links in the small print: notification settings, unsubscribe. */
  footerLinks?: { label: string; url: string }[];
};

export type ComposedMail = {
  subject: string;
  text: string;
  html: string;
  /** Every header but From, To, Subject, Date and Message-ID, which the sender sets. */
  headers: Record<string, string>;
  messageId: string;
};

/** A header name nodemailer will write as is; values must not break the line (header injection). */
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const RESERVED = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'content-type', 'mime-version', 'content-transfer-encoding']);

/**
 * Marks every message as sent by a machine (RFC 3834), so vacation replies and other
 * auto-responders stay quiet; Exchange reads its own header for the same.
 */
const AUTOMATIC = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'OOF, AutoReply' };

/** A new Message-ID on the site's host: a time part (sorts in a folder) and 96 random bits. */
export function newMessageId(origin: string = site.url): string {
  const host = new URL(origin).hostname.replace(/^\[|\]$/g, '') || 'localhost';
  return `<${Date.now().toString(36)}.${crypto.randomBytes(12).toString('base64url')}@${host}>`;
}

/** Whitespace folded to single spaces, cut at a word to at most `max` characters with an ellipsis. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}

/** Only web links go into a message: a `javascript:` or relative URL is a caller's bug. */
function checkedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`a mail link must be http(s): ${parsed.protocol}`);
  return parsed.toString();
}

function checkedHeaders(extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra)) {
    if (!HEADER_NAME.test(name) || RESERVED.has(name.toLowerCase())) throw new Error(`not a header a message may add: ${JSON.stringify(name)}`);
    if (/[\r\n]/.test(value)) throw new Error(`the ${name} header holds a line break`);
    out[name] = value;
  }
  return out;
}

function textPart(content: MailContent): string {
  const blocks: string[] = [];
  if (content.greeting) blocks.push(content.greeting);
  blocks.push(...content.paragraphs);
  if (content.quote) {
    const quoted = content.quote.text.split(/\r?\n/).map((line) => (line ? `> ${line}` : '>'));
    if (content.quote.author) quoted.push(`> — ${oneLine(content.quote.author)}`);
    blocks.push(quoted.join('\n'));
  }
  for (const item of content.items ?? []) {
    const quoted = item.text.split(/\r?\n/).map((line) => (line ? `> ${line}` : '>'));
    blocks.push([oneLine(item.heading), ...quoted, `${item.label}: ${checkedUrl(item.url)}`].join('\n'));
  }
  blocks.push(...(content.closing ?? []));
  if (content.action) blocks.push(`${content.action.label}:\n${checkedUrl(content.action.url)}`);
  // "-- " on its own line starts a signature, which mail programs dim or fold away.
  const links = (content.footerLinks ?? []).map((link) => `${oneLine(link.label)}: ${checkedUrl(link.url)}`);
  const signature = ['-- ', `${site.name}`, site.url, ...(content.footer ?? []), ...links];
  return `${blocks.join('\n\n')}\n\n${signature.join('\n')}\n`;
}

const STYLE = {
  // Inside style="...": a font name is quoted with single quotes.
  body: "margin:0;padding:24px;background:#f6f6f4;color:#1d1d1b;font:16px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif",
  card: 'max-width:600px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px',
  site: 'margin:0 0 16px;font-size:14px;font-weight:600;color:#5b5b57',
  p: 'margin:0 0 16px',
  quote: 'margin:0 0 16px;padding:8px 16px;border-left:4px solid #d4d4cf;color:#3a3a37',
  author: 'margin:8px 0 0;font-size:14px;color:#5b5b57',
  button: 'display:inline-block;padding:10px 18px;background:#1f5fbf;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600',
  footer: 'max-width:600px;margin:16px auto 0;font-size:13px;color:#5b5b57',
};

/** Paragraph text, escaped, its line breaks kept. */
const lines = (text: string) => escape(text).replace(/\r?\n/g, '<br>');

function htmlPart(subject: string, content: MailContent): string {
  const parts: string[] = [`<p style="${STYLE.site}"><a href="${escape(site.url)}" style="color:inherit;text-decoration:none">${escape(site.name)}</a></p>`];
  if (content.greeting) parts.push(`<p style="${STYLE.p}">${lines(content.greeting)}</p>`);
  for (const paragraph of content.paragraphs) parts.push(`<p style="${STYLE.p}">${lines(paragraph)}</p>`);
  if (content.quote) {
    const author = content.quote.author ? `<p style="${STYLE.author}">— ${escape(oneLine(content.quote.author))}</p>` : '';
    parts.push(`<blockquote style="${STYLE.quote}"><p style="margin:0">${lines(content.quote.text)}</p>${author}</blockquote>`);
  }
  for (const item of content.items ?? []) {
    const url = escape(checkedUrl(item.url));
    parts.push(
      `<p style="${STYLE.p};margin-bottom:4px;font-weight:600">${escape(oneLine(item.heading))}</p>` +
        `<blockquote style="${STYLE.quote}"><p style="margin:0">${lines(item.text)}</p></blockquote>` +
        `<p style="${STYLE.p}"><a href="${url}">${escape(item.label)}</a></p>`,
    );
  }
  for (const paragraph of content.closing ?? []) parts.push(`<p style="${STYLE.p}">${lines(paragraph)}</p>`);
  if (content.action) {
    const url = escape(checkedUrl(content.action.url));
    parts.push(`<p style="${STYLE.p}"><a href="${url}" style="${STYLE.button}">${escape(content.action.label)}</a></p>`);
    // The address itself too, for mail programs that block styled links.
    parts.push(`<p style="${STYLE.p};font-size:13px;word-break:break-all"><a href="${url}">${url}</a></p>`);
  }
  const footer = [
    ...(content.footer ?? []).map((line) => `<p style="margin:0 0 8px">${lines(line)}</p>`),
    ...(content.footerLinks ?? []).map((link) => `<p style="margin:0 0 8px"><a href="${escape(checkedUrl(link.url))}" style="color:inherit">${escape(link.label)}</a></p>`),
  ].join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<div style="${STYLE.card}">${parts.join('')}</div>`,
    `<div style="${STYLE.footer}"><p style="margin:0 0 8px">${escape(site.name)} · <a href="${escape(site.url)}" style="color:inherit">${escape(site.url)}</a></p>${footer}</div>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The message a reader gets: its subject on one line, both parts, the automatic-mail headers
 * plus `headers` (List-Unsubscribe, In-Reply-To ...), and a new Message-ID. Throws on a caller's
 * bug (a link that is not http(s), a header that would break the message), before anything is
 * stored.
 */
export function composeMail(subject: string, content: MailContent, headers: Record<string, string> = {}): ComposedMail {
  const line = oneLine(subject);
  if (!line) throw new Error('a message needs a subject');
  return {
    subject: line,
    text: textPart(content),
    html: htmlPart(line, content),
    headers: { ...checkedHeaders(headers), ...AUTOMATIC },
    messageId: newMessageId(),
  };
}
