/** What the concurrent-writer tests check of an entry many writers appended to at once. */
import * as assert from 'node:assert/strict';
import { parseEntry } from '../../src/core/format/parse';
import { identify, messageFor } from './workers/payload';

/** Large messages span several pages (a torn write would show), small enough to keep the entry near 2 MB. */
export const LARGE = 16 * 1024;

/** Every session is one a writer wrote, whole; returns how many each writer has, in order. */
export function checkIntact(text: string, file: string, large = LARGE): Map<number, number[]> {
  const seen = new Map<number, number[]>();
  for (const session of parseEntry(text, file).sessions) {
    const id = identify(session.message);
    assert.ok(id, `a session that no writer wrote: ${JSON.stringify(session.message.slice(0, 200))}`);
    assert.equal(session.message, messageFor(id.writer, id.seq, large), `session ${id.writer}/${id.seq} is intact`);
    assert.deepEqual(session.tags, [`w${id.writer}`]);
    assert.match(session.heading, /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const list = seen.get(id.writer) ?? [];
    list.push(id.seq);
    seen.set(id.writer, list);
  }
  return seen;
}
