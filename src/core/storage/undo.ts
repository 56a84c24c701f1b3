/**
 * What a writer records before it changes a file in place, and the one rule for undoing it:
 * only the bytes the writer itself wrote are ever taken back. Bytes someone else put there
 * meanwhile (an editor, `echo >>`, another tool that takes no lock) are kept.
 */

/** Where a write may stop short: at every page boundary of the file (a killed process's write ends at one) and at its end. */
const PAGE = 4096;

export interface UndoRecord {
  /** The committed length: the write's bytes begin here. */
  size: number;
  /**
   * Each length the write's bytes may have reached when it stopped, with a hash of the bytes
   * written by then. A tail that matches none of them is not the writer's, and is kept.
   */
  stops?: [number, string][];
  /** The file's first bytes as they were, before an in-place rewrite of the same length. */
  head?: string;
  /** A hash of those bytes as the rewrite leaves them: only that head is put back. */
  headSum?: string;
}

const encoder = new TextEncoder();

/** The record for writing `addition` at `size`, and (optionally) `head.after` over `head.before` at the start. */
export function undoRecordFor(size: number, addition: string | Uint8Array, head?: { before: string; after: string | Uint8Array }): UndoRecord {
  const bytes = (text: string | Uint8Array): Uint8Array => (typeof text === 'string' ? encoder.encode(text) : text);
  return {
    size,
    stops: stopsOf(bytes(addition), size),
    ...(head ? { head: head.before, headSum: hashBytes(bytes(head.after)) } : {}),
  };
}

function stopsOf(bytes: Uint8Array, offset: number): [number, string][] {
  const stops: [number, string][] = [];
  const hash = new Hasher();
  for (let i = 0; i < bytes.length; i++) {
    hash.add(bytes[i]!);
    if ((offset + i + 1) % PAGE === 0 || i === bytes.length - 1) stops.push([i + 1, hash.digest()]);
  }
  return stops;
}

/** Whether `tail` (the file's bytes from the record's size to its end) is the recorded writer's alone: all of its write or part of it, or whitespace. */
export function tailIsWriters(record: UndoRecord, tail: Uint8Array): boolean {
  if (tail.length === 0 || isWhitespace(tail)) return true;
  const stop = record.stops?.find(([length]) => length === tail.length);
  return !!stop && hashBytes(tail) === stop[1];
}

/** Whether the file's first bytes are the recorded rewrite's (`restore`), already the old ones (`same`), or someone else's (`keep`). */
export function headState(record: UndoRecord, current: Uint8Array): 'restore' | 'same' | 'keep' {
  if (record.head === undefined) return 'same';
  const before = encoder.encode(record.head);
  if (current.length >= before.length && before.every((byte, i) => current[i] === byte)) return 'same';
  return record.headSum !== undefined && hashBytes(current.subarray(0, before.length)) === record.headSum ? 'restore' : 'keep';
}

/** The file's bytes as the record says they were committed, where that takes back nobody else's bytes. */
export function undoInMemory(bytes: Uint8Array, record: UndoRecord): Uint8Array {
  let result = bytes;
  if (bytes.length > record.size && tailIsWriters(record, bytes.subarray(record.size))) result = bytes.subarray(0, record.size);
  if (record.head !== undefined && headState(record, result) === 'restore') {
    result = Uint8Array.from(result);
    result.set(encoder.encode(record.head).subarray(0, result.length));
  }
  return result;
}

function isWhitespace(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

/** A 64-bit FNV-1a hash as two 32-bit lanes: telling our bytes from anyone else's by accident, not against a forger. */
export function hashBytes(bytes: Uint8Array): string {
  const hash = new Hasher();
  for (const byte of bytes) hash.add(byte);
  return hash.digest();
}

class Hasher {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  add(byte: number): void {
    this.a = Math.imul(this.a ^ byte, 0x01000193);
    this.b = Math.imul(this.b ^ byte, 0x5bd1e995) ^ (this.b >>> 15);
  }

  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}
