import * as path from 'node:path';
import { SessionLogError } from '../errors';
import { readFrontmatter, setFrontmatterKeys } from '../format/frontmatter';
import type { Deps } from '../ports';
import { pendingUndo, withLock } from './lock';

const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 256;
const encoder = new TextEncoder();
// ignoreBOM keeps a byte order mark in the text, so offsets computed from it are the file's.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type StoreDeps = Pick<Deps, 'fs' | 'host' | 'clock' | 'logger'>;

/**
 * The entry's committed text: if a writer is appending right now (or died doing so), only
 * what was there before that append. Undefined when the entry does not exist.
 */
export async function readCommitted(deps: Pick<Deps, 'fs'>, file: string): Promise<string | undefined> {
  const before = await pendingUndo(deps, file);
  const text = await deps.fs.readText(file);
  if (text === undefined) return undefined;
  const after = await pendingUndo(deps, file);
  if (!before && !after) return text;
  let bytes = encoder.encode(text);
  const sizes = [before?.size, after?.size].filter((size): size is number => size !== undefined);
  if (sizes.length > 0) bytes = bytes.subarray(0, Math.min(bytes.length, ...sizes));
  const head = before?.head ?? after?.head;
  if (head !== undefined) {
    const headBytes = encoder.encode(head);
    bytes = Uint8Array.from(bytes);
    bytes.set(headBytes.subarray(0, bytes.length));
  }
  return new TextDecoder().decode(bytes);
}

export interface AppendRequest {
  file: string;
  /** The section to add, with `\n` line ends. */
  section: string;
  /** The whole text to write when the entry does not exist yet. */
  newEntry: () => string;
  /** The `updated` time to set in the frontmatter, as an ISO string. */
  updated: string;
  /** Keep the previous version as `<file>.bak`. */
  backup: boolean;
}

export interface AppendResult {
  action: 'created' | 'appended';
}

/**
 * Adds a section to an entry, safe against concurrent writers and crashes: under the
 * entry's lock, the bytes are appended in one write and synced; the committed size is
 * recorded first so a crash mid-write is undone. The file is never rewritten except once
 * to add an `updated` key it lacks, and then atomically. A file whose frontmatter cannot be
 * parsed is refused, not touched.
 */
export async function appendSection(deps: StoreDeps, request: AppendRequest): Promise<AppendResult> {
  const { fs } = deps;
  const { file } = request;
  await fs.mkdirp(path.posix.dirname(file));
  return withLock(deps, file, async (lock) => {
    const stat = await fs.stat(file);
    if (!stat) {
      await fs.writeAtomic(file, request.newEntry());
      return { action: 'created' };
    }
    if (!stat.isFile) throw new SessionLogError('invalid_input', `${file} is not a file.`, { file }, 'Choose another entry path.');
    const head = decodeStrict(await fs.readRange(file, 0, HEAD_BYTES), file);
    const bom = head.startsWith('\uFEFF') ? 1 : 0;
    let frontmatter = readFrontmatter(head.slice(bom), file);
    if (!frontmatter && stat.size > HEAD_BYTES && /^---[ \t]*\r?\n/.test(head.slice(bom))) {
      frontmatter = readFrontmatter(((await fs.readText(file)) ?? '').slice(bom), file);
    }
    const eol = head.includes('\r\n') ? '\r\n' : '\n';
    if (request.backup) await fs.copy(file, `${file}.bak`);

    const updatedPatch = frontmatter ? patchUpdated(frontmatter.raw, request.updated) : undefined;
    if (frontmatter && !updatedPatch) {
      await rewriteWithUpdated(deps, file, bom, request, eol);
      return { action: 'appended' };
    }
    const base = stat.size - trailingWhitespace(await fs.readRange(file, Math.max(0, stat.size - TAIL_BYTES), TAIL_BYTES));
    const separator = base > 0 ? eol + eol : '';
    await lock.recordSize(base);
    if (frontmatter && updatedPatch) {
      const offset = encoder.encode(head.slice(0, bom + frontmatter.rawStart + updatedPatch.index)).length;
      await fs.patch(file, offset, updatedPatch.value);
    }
    await fs.appendAt(file, base, separator + withEol(request.section, eol));
    return { action: 'appended' };
  });
}

/** Rewrites the whole entry atomically (under the caller's lock), setting `updated` and appending the section. */
async function rewriteWithUpdated(deps: StoreDeps, file: string, bom: number, request: AppendRequest, eol: string): Promise<void> {
  const text = (await deps.fs.readText(file)) ?? '';
  const source = text.slice(bom);
  const frontmatter = readFrontmatter(source, file);
  if (!frontmatter) throw new SessionLogError('io_error', `${file} changed while it was being written.`, { file }, 'Try again.');
  const raw = setFrontmatterKeys(frontmatter.raw, { updated: request.updated }).replace(/\r?\n/g, eol);
  const body = source.slice(frontmatter.end).trimEnd();
  const rebuilt = `${text.slice(0, bom)}---${eol}${raw}---${eol}${body}${body ? eol + eol : ''}${withEol(request.section, eol)}`;
  await deps.fs.writeAtomic(file, rebuilt);
}

// memex writes `2026-01-11T10:30:00.123456+00:00`, or with a space for the `T` (as YAML dumps times).
const UPDATED_LINE = /^updated:[ \t]*(['"]?)\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\1[ \t]*\r?$/m;

/**
 * The same-length replacement for the frontmatter's `updated` value, in the style already
 * there (quotes, fraction digits, `Z` or `+00:00`), so it can be written in place.
 */
export function patchUpdated(raw: string, iso: string): { index: number; value: string } | undefined {
  const match = UPDATED_LINE.exec(raw);
  // Two `updated` lines (left by a union merge) are folded into one by the rewrite.
  if (!match || raw.split('\n').filter((line) => line.startsWith('updated:')).length > 1) return undefined;
  const [line, quote, separator, fraction, zone] = match as unknown as [string, string, string, string | undefined, string];
  const date = new Date(iso);
  const seconds = date.toISOString().slice(0, 19).replace('T', separator);
  const digits = fraction ? `.${String(date.getUTCMilliseconds()).padStart(3, '0').padEnd(fraction.length - 1, '0').slice(0, fraction.length - 1)}` : '';
  const value = `${quote}${seconds}${digits}${zone === 'Z' ? 'Z' : '+00:00'}${quote}`;
  return { index: match.index + /^updated:[ \t]*/.exec(line)![0].length, value };
}

function trailingWhitespace(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.length - 1; i >= 0 && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d); i--) count++;
  return count;
}

function withEol(text: string, eol: string): string {
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

function decodeStrict(bytes: Uint8Array, file: string): string {
  // A multi-byte character may be cut at the end of the range; drop at most 3 bytes of it.
  for (let cut = 0; cut < 4 && cut <= bytes.length; cut++) {
    try {
      const text = strictDecoder.decode(bytes.subarray(0, bytes.length - cut));
      if (text.includes('\0')) break;
      return text;
    } catch {
      // try a shorter prefix
    }
  }
  throw new SessionLogError('unparseable_entry', `${file} is not a UTF-8 text file; it is left untouched.`, { file },
    'Choose another entry path, or repair the file.');
}
