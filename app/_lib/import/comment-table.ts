import type { SourceState } from './sources';

/*
 * What the importer keeps about every comment between its two passes: the thread, the parent,
 * the state, and later where it is placed and the row it became. In typed columns indexed by
 * the comment's position in the file, so 500,000 comments take a few tens of megabytes (one
 * object per comment took several times that).
 */

export const STATES: readonly SourceState[] = ['approved', 'pending', 'spam', 'trash', 'pingback', 'deleted'];

/** In the reference columns: no comment. */
export const NONE = -1;
/** In `parent`: the source names a parent that is not in the file. */
export const ABSENT = -2;

/** A placement reference: a position in the file (>= 0), NONE, or a database row (< -1). */
export const rowRef = (id: number) => -id - 2;
export const isRowRef = (ref: number) => ref < NONE;
export const rowOf = (ref: number) => -ref - 2;

export const PLACED = 1;
export const ORPHAN = 2;
export const DUPLICATE = 4;
export const SEEN = 8;
export const VISITING = 16;

function grown<T extends Int32Array | Uint8Array>(array: T, size: number): T {
  if (size < array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(array.length * 2);
  next.set(array);
  return next;
}

export class CommentTable {
  readonly positions = new Map<string, number>();
  size = 0;
  thread = new Int32Array(1024);
  state = new Uint8Array(1024);
  parent = new Int32Array(1024);
  /** The source id of a parent the file does not hold, by the child's position. */
  readonly absentParent = new Map<number, string>();
  placedParent = new Int32Array(1024);
  placedRoot = new Int32Array(1024);
  placedReplyTo = new Int32Array(1024);
  depth = new Uint8Array(1024);
  flags = new Uint8Array(1024);
  /** The row a comment became (or already was): 0 until then. */
  row = new Int32Array(1024);
  private parentIds: (string | null)[] = [];

  /** Adds a comment from the first pass; false when its source id was met before in the file. */
  add(sourceId: string, thread: number, parentId: string | null, state: SourceState): boolean {
    if (this.positions.has(sourceId)) return false;
    const at = this.size++;
    this.positions.set(sourceId, at);
    for (const column of ['thread', 'state', 'parent', 'placedParent', 'placedRoot', 'placedReplyTo', 'depth', 'flags', 'row'] as const) {
      (this as Record<typeof column, Int32Array | Uint8Array>)[column] = grown(this[column], this.size);
    }
    this.thread[at] = thread;
    this.state[at] = STATES.indexOf(state);
    this.parentIds.push(parentId);
    return true;
  }

  /** After the first pass: every parent id becomes a position, NONE, or ABSENT. */
  link(): void {
    this.parentIds.forEach((id, at) => {
      const position = id === null ? NONE : this.positions.get(id);
      this.parent[at] = position ?? ABSENT;
      if (position === undefined && id !== null) this.absentParent.set(at, id);
    });
    this.parentIds = [];
  }

  stateOf(at: number): SourceState {
    return STATES[this.state[at]!]!;
  }
}
