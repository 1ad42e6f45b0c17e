// @ts-check
/*
 * Changes to the discussions made by another process: `npm run import` writes comments while the
 * server runs, and cannot reach the server's memory or call revalidatePath in it. It notes the
 * articles it changed in a small file beside the database; the server looks at that file's
 * stat when it reads a cached article page (cache-handler.mjs) or serves one to a signed-in
 * reader (shared-pages.mjs), and treats a page stored before the change as missing, so the next
 * request renders it again. A stat per cached read costs microseconds; the file is read only
 * when it changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATABASE_PATH } from '../../../db/default-path.mjs';

/** The file beside DATABASE_PATH: `{ "<slug>" | "*": epoch ms of the last change }`. */
export function changesFile() {
  return `${path.resolve(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH)}.changes.json`;
}

/** @returns {Record<string, number>} */
function readChanges() {
  try {
    const parsed = JSON.parse(fs.readFileSync(changesFile(), 'utf8'));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * Notes that these articles' pages (slug '*': every article's) changed now. Called by the
 * command that changed them, after its transaction committed. Written to a temporary file and
 * renamed, so the server never reads half a file.
 * @param {string[]} slugs
 */
export function noteOutsideChanges(slugs) {
  if (slugs.length === 0) return;
  const file = changesFile();
  const changes = readChanges();
  const now = Date.now();
  for (const slug of slugs) changes[slug] = now;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(changes));
  fs.renameSync(temporary, file);
}

let seen = { key: '', changes: /** @type {Record<string, number>} */ ({}) };

/** The changes file as it is now: re-read only when its stat moved. */
function currentChanges() {
  let key = '';
  try {
    const stat = fs.statSync(changesFile());
    key = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  } catch {
    return {};
  }
  if (key !== seen.key) seen = { key, changes: readChanges() };
  return seen.changes;
}

/**
 * When another process last changed this article's pages (or every article's), in epoch ms; 0
 * when never.
 * @param {string} slug
 */
export function outsideChangeAt(slug) {
  const changes = currentChanges();
  return Math.max(changes[slug] ?? 0, changes['*'] ?? 0);
}

/** When another process last changed any article (the site feed lists them all); 0 when never. */
export function latestOutsideChange() {
  return Math.max(0, ...Object.values(currentChanges()));
}
