import * as path from 'node:path';
import { isSessionLogError, SessionLogError } from '../errors';
import { findFrontmatter, type FrontmatterBlock, opensUnclosedFrontmatter, readFrontmatter, setFrontmatterKeys } from '../format/frontmatter';
import { memexTime, timeLike } from '../model/time';
import { confirmInKb, confirmOpened } from '../context/paths';
import type { Deps, FileHandle } from '../ports';
import { FileLock, pendingUndo } from './lock';
import { undoInMemory, undoRecordFor, type UndoRecord } from './undo';

const HEAD_BYTES = 8 * 1024;
const TAIL_BYTES = 256;
const encoder = new TextEncoder();
// ignoreBOM keeps a byte order mark in the text, so offsets computed from it are the file's.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type StoreDeps = Pick<Deps, 'fs' | 'host' | 'clock' | 'logger'>;

/** How often a reader tries to read an entry that writers keep changing before it queues for the lock. */
const OPTIMISTIC_READS = 4;

/**
 * The entry's committed text: if a writer is appending right now (or died doing so), only
 * what was there before that append. Undefined when the entry does not exist. Reads take no
 * lock: a read is kept when no write touched the file while it was read, or cut back to what a
 * writer's undo record says was committed; an entry that changed under every try is read under
 * its lock (when `deps` can take one), so a reader never starves and never sees half a session.
 */
export async function readCommitted(deps: Pick<Deps, 'fs'> & Partial<StoreDeps>, file: string): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    const read = await readOnce(deps, file);
    if (read.settled) return read.text;
    if (attempt + 1 >= OPTIMISTIC_READS && hasLockDeps(deps)) return readLocked(deps, file);
    if (attempt >= 50) {
      throw new SessionLogError('lock_timeout', `${file} kept changing while it was read.`, { file }, 'Try again when its writers are done.');
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(20, 1 + attempt)));
  }
}

/** One lock-free read: settled unless a write with no undo record to go by changed the file meanwhile. */
async function readOnce(deps: Pick<Deps, 'fs'>, file: string): Promise<{ settled: boolean; text?: string }> {
  const before = await pendingUndo(deps, file);
  const statBefore = await deps.fs.stat(file);
  const text = await deps.fs.readText(file);
  if (text === undefined) return { settled: true };
  const statAfter = await deps.fs.stat(file);
  const after = await pendingUndo(deps, file);
  // Only a file that did not move while it was read is a snapshot; a write under way in it is
  // then cut off as its undo record says.
  const unchanged = !!statBefore && !!statAfter && statBefore.size === statAfter.size && statBefore.mtimeMs === statAfter.mtimeMs;
  if (!unchanged) return { settled: false };
  return { settled: true, text: undoPending(text, [before, after]) };
}

/**
 * The text as it was before the writes undo records describe: what a writer wrote past the
 * committed size is left out, and its rewritten head read as it was. Bytes that are not the
 * writer's (appended by a tool that takes no lock) stay in view.
 */
function undoPending(text: string, records: (UndoRecord | undefined)[]): string {
  const found = records.filter((record): record is UndoRecord => record !== undefined);
  if (found.length === 0) return text;
  let bytes: Uint8Array = encoder.encode(text);
  for (const record of found) bytes = undoInMemory(bytes, record);
  return new TextDecoder().decode(bytes);
}

function hasLockDeps(deps: Pick<Deps, 'fs'> & Partial<StoreDeps>): deps is StoreDeps {
  return !!deps.host && !!deps.clock && !!deps.logger;
}

/** The entry read while holding its lock, when writers never let a lock-free read settle. */
async function readLocked(deps: StoreDeps, file: string): Promise<string | undefined> {
  const lock = await FileLock.acquire(deps, file);
  try {
    return await deps.fs.readText(file);
  } finally {
    await lock.release();
  }
}

interface AppendRequest {
  file: string;
  /** The knowledge base the file must stay in: checked again under the lock, against links swapped in since. */
  kbRoot?: string;
  /** The section to add, with `\n` line ends. */
  section: string;
  /** The whole text to write when the entry does not exist yet. */
  newEntry: () => string;
  /** The `updated` time to set in the frontmatter, as an ISO string. */
  updated: string;
  /** Keep the previous version as `<file>.bak`. */
  backup: boolean;
}

interface AppendResult {
  action: 'created' | 'appended';
}

/**
 * Adds a section to an entry, safe against concurrent writers and crashes: under the
 * entry's lock, the bytes are appended in one write and synced; the committed size (and the
 * frontmatter bytes the `updated` patch replaces) are recorded first so a crash mid-write is
 * undone. The file is never rewritten except once to add an `updated` key it lacks, and then
 * atomically. A file whose frontmatter cannot be parsed is refused, not touched. The entry is
 * opened once and every step goes through that handle: each call is a round trip to the file
 * system's threads, and they, not the bytes, are what an append costs.
 */
export async function appendSection(deps: StoreDeps, request: AppendRequest): Promise<AppendResult> {
  const { fs } = deps;
  const { file } = request;
  const lock = await lockEntry(deps, file);
  let entry: FileHandle | undefined;
  try {
    entry = await openEntry(fs, file);
    if (!entry) {
      if (request.kbRoot) await confirmInKb(fs, request.kbRoot, file, 'entry');
      await fs.writeAtomic(file, request.newEntry());
      return { action: 'created' };
    }
    const [plan, inPlace] = await Promise.all([planAppend(deps, entry, request), mayWriteInPlace(deps, entry, request)]);
    if (!inPlace) {
      // The rename replaces the file: let go of it first (Windows may refuse to replace an open file).
      await entry.close();
      entry = undefined;
      await replaceWithSection(deps, file, request);
    } else if (plan.rewrite) {
      leftByLastAppend.delete(file);
      await rewriteInPlace(entry, file, request, lock);
    } else {
      await lock.recordUndo(undoRecordFor(plan.base, plan.addition, plan.patch && { before: plan.patch.before, after: plan.patch.after }));
      const size = await writeOrUndo(entry, plan, lock);
      leftByLastAppend.set(file, { size, ...(plan.patch ? { block: plan.patch.block } : {}) });
      // Every byte is in place, so a crash from here on leaves the append whole: the lock goes
      // while the bytes are synced, and the append is acknowledged once both are done.
      await Promise.all([entry.sync(), lock.release()]);
    }
    return { action: 'appended' };
  } finally {
    // Not waited for: closing changes nothing the caller waits on (the bytes are synced, or the append failed).
    entry?.close().catch(() => undefined);
    await lock.release();
  }
}

/**
 * Whether the open entry is the one its path names inside the knowledge base (else
 * path_outside_kb) and has no other name: a file with hard links is replaced, never changed in
 * place, so no other name of it (perhaps outside) sees the write.
 */
async function mayWriteInPlace(deps: StoreDeps, entry: FileHandle, request: AppendRequest): Promise<boolean> {
  if (!request.kbRoot) return true;
  return (await confirmOpened(deps.fs, request.kbRoot, request.file, await entry.stat(), 'entry')).inPlace;
}

/**
 * Appends `addition` at `size` and writes `head` over the file's first bytes (the same length),
 * under `lock`: the undo record first, then both writes, undone if they fail part way. False,
 * writing nothing, when the file may not be changed in place (it has other names): the caller
 * then replaces it.
 */
export async function appendInPlace(
  deps: Pick<Deps, 'fs'>,
  lock: FileLock,
  file: string,
  kbRoot: string,
  change: { size: number; addition: string; head?: { before: string; after: string } },
): Promise<boolean> {
  const entry = await deps.fs.open(file);
  if (!entry) throw new SessionLogError('io_error', `${file} disappeared while it was being written.`, { file }, 'Try again.');
  try {
    if (!(await confirmOpened(deps.fs, kbRoot, file, await entry.stat(), 'file')).inPlace) return false;
    await lock.recordUndo(undoRecordFor(change.size, change.addition, change.head));
    const patch = change.head && { offset: 0, value: change.head.after, before: change.head.before, after: change.head.after, block: '' };
    await writeOrUndo(entry, { rewrite: false, size: change.size, base: change.size, addition: change.addition, ...(patch ? { patch } : {}) }, lock);
    await entry.sync();
    return true;
  } finally {
    await entry.close().catch(() => undefined);
  }
}

/**
 * The entry's lock. Its folder is created only when the lock cannot be for want of it, so an
 * append to an existing entry makes no mkdir call.
 */
async function lockEntry(deps: StoreDeps, file: string): Promise<FileLock> {
  try {
    return await FileLock.acquire(deps, file);
  } catch (error) {
    if (isSessionLogError(error)) throw error;
    // Made by now, perhaps by another writer racing to create the same entry; mkdirp takes either.
    await deps.fs.mkdirp(path.posix.dirname(file));
    return FileLock.acquire(deps, file);
  }
}

/** The entry, open for reading and writing; undefined when it does not exist yet. */
async function openEntry(fs: StoreDeps['fs'], file: string): Promise<FileHandle | undefined> {
  try {
    return await fs.open(file);
  } catch (error) {
    // A folder (or anything else) in the entry's place cannot be opened for writing; say so plainly.
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && !stat.isFile) throw notAFile(file);
    throw error;
  }
}

function notAFile(file: string): SessionLogError {
  return new SessionLogError('invalid_input', `${file} is not a file.`, { file }, 'Choose another entry path.');
}

/** What an append writes and where, read from the entry's head and tail. */
type AppendPlan =
  | { rewrite: true }
  | {
      rewrite: false;
      size: number;
      /** The committed length without trailing whitespace: where the section goes. */
      base: number;
      addition: string;
      patch?: AppendPatch;
    };

interface AppendPatch {
  /** Where the `updated` value's new bytes go. */
  offset: number;
  value: string;
  /** The head up to the value's end as it was, and as the patch leaves it, for the undo record. */
  before: string;
  after: string;
  /** The frontmatter block as the patch leaves it. */
  block: string;
}

async function planAppend(deps: StoreDeps, entry: FileHandle, request: AppendRequest): Promise<AppendPlan> {
  const { file } = request;
  const { size, headBytes, tail } = await readEnds(entry, file);
  let head = decodeStrict(headBytes, file);
  const bom = head.startsWith('\uFEFF') ? 1 : 0;
  // A frontmatter longer than the head read is closed further on: the head is then the whole file.
  if (size > headBytes.length && opensUnclosedFrontmatter(head.slice(bom))) head = decodeStrict(await entry.read(0, size), file);
  const frontmatter = checkedFrontmatter(head.slice(bom), file);
  const eol = head.includes('\r\n') ? '\r\n' : '\n';
  if (request.backup) await deps.fs.copy(file, `${file}.bak`);

  const updatedPatch = frontmatter ? patchUpdated(frontmatter.raw, request.updated) : undefined;
  if (frontmatter && !updatedPatch) return { rewrite: true };
  const base = size - trailingWhitespace(tail);
  const addition = (base > 0 ? eol + eol : '') + withEol(request.section, eol);
  let patch: AppendPatch | undefined;
  if (frontmatter && updatedPatch) {
    const at = bom + frontmatter.rawStart + updatedPatch.index;
    const inBlock = at - bom;
    patch = {
      offset: encoder.encode(head.slice(0, at)).length,
      value: updatedPatch.value,
      before: head.slice(0, at + updatedPatch.value.length),
      after: head.slice(0, at) + updatedPatch.value,
      block: frontmatter.block.slice(0, inBlock) + updatedPatch.value + frontmatter.block.slice(inBlock + updatedPatch.value.length),
    };
  }
  return { rewrite: false, size, base, addition, ...(patch ? { patch } : {}) };
}

/**
 * The entry's size, first bytes and last bytes, in one round trip when possible. A read that
 * comes back short has reached the end, which gives the size without asking: a small entry is
 * all in its head, and a large one most likely ends where our last append left it (one byte more
 * is asked for there, so the guess is confirmed by the end it finds; no one else writes while we
 * hold the lock). Otherwise the size is asked for and the tail read.
 */
async function readEnds(entry: FileHandle, file: string): Promise<{ size: number; headBytes: Uint8Array; tail: Uint8Array }> {
  const guess = leftByLastAppend.get(file)?.size;
  const [headBytes, probe] = await Promise.all([
    entry.read(0, HEAD_BYTES),
    guess !== undefined && guess > HEAD_BYTES ? entry.read(guess - TAIL_BYTES, TAIL_BYTES + 1) : undefined,
  ]);
  if (headBytes.length < HEAD_BYTES) return { size: headBytes.length, headBytes, tail: headBytes.subarray(Math.max(0, headBytes.length - TAIL_BYTES)) };
  if (guess !== undefined && probe?.length === TAIL_BYTES) return { size: guess, headBytes, tail: probe };
  const stat = await entry.stat();
  if (!stat.isFile) throw notAFile(file);
  const { size } = stat;
  if (size <= headBytes.length) return { size, headBytes: headBytes.subarray(0, size), tail: headBytes.subarray(Math.max(0, size - TAIL_BYTES), size) };
  return { size, headBytes, tail: await entry.read(Math.max(0, size - TAIL_BYTES), TAIL_BYTES) };
}

/**
 * Per entry, what this process's last append left: the size, and the frontmatter. That
 * frontmatter had parsed, and the append changed only digits of its `updated` value (and the
 * zone's sign), which cannot make it unparseable: found again unchanged, it needs no parsing to be
 * trusted. The YAML parser is the costliest step of an append, the more so in a process that
 * appends now and then (an editor, an agent's server), where its code stays cold.
 */
const leftByLastAppend = new Map<string, { size: number; block?: string }>();

/** The frontmatter's place, after making sure it parses: an entry whose frontmatter does not is never written. */
function checkedFrontmatter(source: string, file: string): FrontmatterBlock | undefined {
  const found = findFrontmatter(source, file);
  if (found && leftByLastAppend.get(file)?.block !== found.block) readFrontmatter(source, file);
  return found;
}

/**
 * Writes the append; if that fails (a full disk, say), puts the entry back as the undo record
 * has it before the error goes on, so no half-written section is left behind. If even that
 * fails, the lock stays with its record for whoever breaks it to undo the write.
 */
async function writeOrUndo(entry: FileHandle, plan: Extract<AppendPlan, { rewrite: false }>, lock: FileLock): Promise<number> {
  try {
    return await writeAppend(entry, plan);
  } catch (error) {
    try {
      await entry.truncate(plan.base);
      if (plan.patch) await entry.write(0, plan.patch.before);
      await entry.sync();
    } catch {
      lock.abandon();
    }
    throw error;
  }
}

/**
 * The patch and the section at once (the undo record covers both), then any old trailing
 * whitespace beyond the new end cut. Returns the new size.
 */
async function writeAppend(entry: FileHandle, plan: Extract<AppendPlan, { rewrite: false }>): Promise<number> {
  await Promise.all([plan.patch && entry.write(plan.patch.offset, plan.patch.value), entry.write(plan.base, plan.addition)]);
  const end = plan.base + encoder.encode(plan.addition).length;
  if (plan.size > end) await entry.truncate(end);
  return end;
}

/** The entry's text with `updated` set (every other frontmatter line kept) and the section appended. */
function withSection(text: string, file: string, request: AppendRequest): string {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const source = text.slice(bom);
  const frontmatter = readFrontmatter(source, file);
  const head = frontmatter
    ? source.slice(0, frontmatter.rawStart) +
      withUpdated(frontmatter.raw, request.updated, eol) +
      source.slice(frontmatter.rawStart + frontmatter.raw.length, frontmatter.end)
    : '';
  const body = source.slice(frontmatter ? frontmatter.end : 0).trimEnd();
  return `${text.slice(0, bom)}${head}${body}${body ? eol + eol : ''}${withEol(request.section, eol)}`;
}

/**
 * Adds an `updated` line the entry lacks (or one that cannot be patched at the same length),
 * with the section, in place under the caller's lock: the undo record holds the whole old text,
 * so a crash or a failed write puts it back. Rare: once per entry.
 */
async function rewriteInPlace(entry: FileHandle, file: string, request: AppendRequest, lock: FileLock): Promise<void> {
  const { size } = await entry.stat();
  const text = decodeStrict(await entry.read(0, size), file);
  const rebuiltText = withSection(text, file, request);
  const rebuilt = encoder.encode(rebuiltText);
  const before = encoder.encode(text);
  await lock.recordUndo(
    undoRecordFor(before.length, rebuilt.subarray(Math.min(before.length, rebuilt.length)), { before: text, after: rebuilt.subarray(0, before.length) }),
  );
  try {
    await entry.write(0, rebuiltText);
    if (rebuilt.length < before.length) await entry.truncate(rebuilt.length);
    await entry.sync();
  } catch (error) {
    try {
      await entry.truncate(before.length);
      await entry.write(0, text);
      await entry.sync();
    } catch {
      lock.abandon();
    }
    throw error;
  }
}

/** Replaces the whole entry atomically (under the caller's lock) with the section appended: for a file that may not be changed in place. */
async function replaceWithSection(deps: StoreDeps, file: string, request: AppendRequest): Promise<void> {
  const text = (await deps.fs.readText(file)) ?? '';
  const rebuilt = withSection(text, file, request);
  if (request.kbRoot) await confirmInKb(deps.fs, request.kbRoot, file, 'entry');
  await deps.fs.writeAtomic(file, rebuilt);
}

// memex writes `2026-01-11T10:30:00.123456+00:00`, with a space for the `T` (as YAML dumps times), or naive (no zone).
const UPDATED_LINE = /^updated:[ \t]*((['"]?)\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?\2)[ \t]*\r?$/m;

/**
 * The same-length replacement for the frontmatter's `updated` value, in the style already
 * there (quotes, fraction digits, `Z`, `+00:00` or no zone), so it can be written in place.
 */
function patchUpdated(raw: string, iso: string): { index: number; value: string } | undefined {
  const match = UPDATED_LINE.exec(raw);
  // Two `updated` lines (left by a union merge) are folded into one by the rewrite.
  if (!match || raw.split('\n').filter((line) => line.startsWith('updated:')).length > 1) return undefined;
  const value = timeLike(match[1]!, new Date(iso))!;
  return { index: match.index + /^updated:[ \t]*/.exec(match[0])![0].length, value };
}

/**
 * The frontmatter with `updated` set, every other line kept byte for byte: an `updated` line
 * that is there gets its value replaced; a missing one is added after `created` (in its style),
 * else at the end, as naive UTC (memex's form). Two `updated` lines (left by a union merge) go
 * through the YAML library, which folds them into one.
 */
export function withUpdated(raw: string, iso: string, eol: string): string {
  const date = new Date(iso);
  const lines = raw.split(/(?<=\n)/);
  const updated = lines.filter((line) => line.startsWith('updated:'));
  if (updated.length > 1) return setFrontmatterKeys(raw, { updated: iso }).replace(/\r?\n/g, eol);
  const created = lines.find((line) => /^created:/.test(line));
  const createdValue = created?.replace(/^created:[ \t]*/, '').trimEnd();
  const value = (createdValue && timeLike(createdValue, date)) ?? `'${memexTime(date)}'`;
  if (updated.length === 1) return lines.map((line) => (line.startsWith('updated:') ? `updated: ${value}${eol}` : line)).join('');
  const at = created ? lines.indexOf(created) + 1 : lines.length;
  const before = lines.slice(0, at);
  if (before.length > 0 && !before[before.length - 1]!.endsWith('\n')) before[before.length - 1] += eol;
  return [...before, `updated: ${value}${eol}`, ...lines.slice(at)].join('');
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
  throw new SessionLogError(
    'unparseable_entry',
    `${file} is not a UTF-8 text file; it is left untouched.`,
    { file },
    'Choose another entry path, or repair the file.',
  );
}
