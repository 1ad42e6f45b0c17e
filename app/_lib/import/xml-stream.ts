import fs from 'node:fs';
import { SaxesParser } from 'saxes';

/*
 * Reads an XML export a chunk at a time through saxes, a streaming parser: memory stays bounded
 * whatever the file's size. Synchronous on purpose, so the import can run inside one
 * better-sqlite3 transaction. Every refusal says what is wrong and the line it was seen on.
 */

/** A file the import refuses, with a message a person can act on. Nothing was written. */
export class ImportError extends Error {
  override name = 'ImportError';
}

const CHUNK = 1 << 20;
/**
 * The most text or markup one node may hold (a comment's body, a tag). saxes keeps a node in
 * memory until it ends, so this is what bounds memory on a hostile file without line breaks.
 */
export const MAX_NODE_BYTES = 8 << 20;

/** An error thrown by a handler, carried through saxes unchanged (not a syntax error). */
class HandlerFailure extends Error {
  constructor(readonly original: unknown) {
    super('handler failed');
  }
}

function guarded<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch (error) {
      throw new HandlerFailure(error);
    }
  };
}

export type XmlHandlers = {
  open(name: string, attributes: Record<string, string>, line: number): void;
  close(name: string): void;
  /** Text and CDATA inside the current element, possibly in several pieces. */
  text(text: string): void;
};

/** The first byte offset at which `bytes` stops being UTF-8 (a cut-off last character is not an error). */
function firstInvalidUtf8(bytes: Buffer): number {
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  return low;
}

function countLines(bytes: Buffer): number {
  let n = 0;
  // indexOf is a native scan: a loop over 200 MB of bytes in JavaScript took seconds.
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) n += 1;
  return n;
}

/** Streams `file` through `handlers`; throws ImportError for a file that is not whole, well-formed UTF-8 XML. */
export function streamXml(file: string, given: XmlHandlers): void {
  const handlers = { open: guarded(given.open), close: guarded(given.close), text: guarded(given.text) };
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new ImportError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  try {
    if (fs.fstatSync(fd).size === 0) throw new ImportError(`${file} is empty (0 bytes): there is nothing to import.`);
    const parser = new SaxesParser({ position: true });
    let sinceEvent = 0;
    let seenRoot = false;
    const event = () => {
      sinceEvent = 0;
    };
    parser.on('doctype', () => {
      // A DOCTYPE is where entities are declared; an XML bomb expands them a billion times.
      // No WordPress or Disqus export has one, so it is refused before anything is expanded.
      throw new ImportError(`${file}, line ${parser.line}: the file declares a DOCTYPE, which exports never have; refused (entity declarations can expand without bound).`);
    });
    parser.on('opentag', (tag) => {
      event();
      seenRoot = true;
      handlers.open(tag.name, tag.attributes as Record<string, string>, parser.line);
    });
    parser.on('closetag', (tag) => {
      event();
      handlers.close(tag.name);
    });
    parser.on('text', (text) => {
      event();
      // Exports hold text in leaf elements; whitespace alone is indentation around a CDATA
      // section or between elements, never content.
      if (seenRoot && /\S/.test(text)) handlers.text(text);
    });
    parser.on('cdata', (text) => {
      event();
      handlers.text(text);
    });
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const buffer = Buffer.alloc(CHUNK);
    let linesBefore = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, CHUNK, null);
      const bytes = buffer.subarray(0, read);
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: read > 0 });
      } catch {
        const line = linesBefore + countLines(bytes.subarray(0, firstInvalidUtf8(bytes))) + 1;
        throw new ImportError(`${file}, line ${line}: invalid UTF-8 (exports are UTF-8; convert the file, e.g. with iconv, and try again).`);
      }
      if (read === 0) break;
      if (linesBefore === 0 && parser.position === 0) refuseNonXml(file, text);
      linesBefore += countLines(bytes);
      feed(parser, text, file);
      sinceEvent += read;
      if (sinceEvent > MAX_NODE_BYTES) {
        throw new ImportError(`${file}, line ${parser.line}: one piece of text or markup is larger than ${MAX_NODE_BYTES >> 20} MB; refused.`);
      }
    }
    try {
      parser.close();
    } catch (error) {
      throw new ImportError(`${file}, line ${parser.line}: the file ends too early (truncated?): ${plain(error)}.`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * saxes reports text before the root element only when the file ends; a file that is not XML at
 * all (a CSV, a JSON export, notes) is named at once, at the line its first character is on.
 */
function refuseNonXml(file: string, text: string): void {
  const start = /\S/.exec(text.replace(/^\uFEFF/, ''));
  if (!start || start[0] === '<') return;
  const line = text.slice(0, start.index).split('\n').length;
  const sample = text.slice(start.index, start.index + 30).split('\n')[0];
  throw new ImportError(`${file}, line ${line}: not XML: it starts with "${sample}" where an export starts with "<".`);
}

/** saxes' message without its "file:line:column: " prefix. */
function plain(error: unknown): string {
  return (error as Error).message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
}

function feed(parser: SaxesParser, text: string, file: string): void {
  try {
    parser.write(text);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    if (error instanceof HandlerFailure) throw error.original;
    throw new ImportError(`${file}, line ${parser.line}: not well-formed XML: ${plain(error)}.`);
  }
}
