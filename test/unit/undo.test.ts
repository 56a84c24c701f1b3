/**
 * The undo rule, driven deterministically: a writer whose file system stops it dead right after
 * (or part way through) its write, as a crash would, leaving its lock behind. The next writer
 * takes back exactly what it wrote and nothing anyone else wrote; readers meanwhile hide only
 * its bytes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import type { FileHandle } from '../../src/core/ports';
import { lockPathOf } from '../../src/core/storage/lock';
import { readCommitted } from '../../src/core/storage/entryFile';
import { sessionHistory } from '../../src/core/usecases/history';
import { EntryCache } from '../../src/core/usecases/readEntries';
import { logSession } from '../../src/core/usecases/logSession';
import { searchSessions } from '../../src/core/usecases/search';
import { closeIndexes } from '../../src/core/search/store';
import { read, tempDir, write } from '../support/files';
import { coreDeps, deadPid } from '../support/core';

function kb(t: TestContext): { root: string; entry: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
  return { root, entry: path.join(root, 'sessions.md') };
}

/**
 * A writer (its process id one that is gone) whose write of the section carrying `marker` puts
 * `keep(bytes)` of it in the file and then never returns: the process "died" there, its lock and
 * undo record left behind. Resolves once the write has stopped.
 */
async function stoppedWriter(root: string, message: string, keep: (text: string, offset: number) => string): Promise<void> {
  const deps = coreDeps({ cwd: root, now: '2026-01-11T10:40:00Z' });
  Object.assign(deps.host, { pid: deadPid() });
  const open = deps.fs.open.bind(deps.fs);
  let stopped!: () => void;
  const stop = new Promise<void>((resolve) => (stopped = resolve));
  deps.fs.open = async (file) => {
    const handle = await open(file);
    if (!handle || !file.endsWith('sessions.md')) return handle;
    const dying: FileHandle = {
      stat: () => handle.stat(),
      read: (start, length) => handle.read(start, length),
      truncate: (size) => handle.truncate(size),
      sync: () => handle.sync(),
      close: () => handle.close(),
      write: async (offset, text) => {
        if (!text.includes(message)) return handle.write(offset, text);
        const part = keep(text, offset);
        if (part) await handle.write(offset, part);
        stopped();
        return new Promise<void>(() => undefined);
      },
    };
    return dying;
  };
  void logSession(deps, { message, cwd: root });
  await stop;
}

async function twoSessions(root: string): Promise<string> {
  const deps = coreDeps({ cwd: root, now: '2026-01-11T10:30:00Z' });
  await logSession(deps, { message: 'One', cwd: root });
  await logSession(deps, { message: 'Two', cwd: root });
  return read(path.join(root, 'sessions.md'));
}

const messages = (text: string): string[] => parseEntry(text).sessions.map((session) => session.message);

describe('a writer that stops dead right after its write', () => {
  it('left an undo record before writing: readers see only what was committed, the next writer takes its section back', async (t) => {
    const { root, entry } = kb(t);
    const committed = await twoSessions(root);
    await stoppedWriter(root, 'Unfinished', (text) => text);
    assert.match(read(lockPathOf(entry)), /"size":\d+,"stops":\[\[/, 'the lock holds the undo record');
    assert.deepEqual(messages(read(entry)), ['One', 'Two', 'Unfinished'], 'its bytes are in the file');
    assert.equal(await readCommitted({ fs: coreDeps({ cwd: root }).fs }, entry), committed.trimEnd(), 'readers see what was committed');
    const history = await sessionHistory(coreDeps({ cwd: root }), { cwd: root });
    assert.deepEqual(history.sessions.map((session) => session.message).sort(), ['One', 'Two']);
    assert.deepEqual(await searchSessions(coreDeps({ cwd: root }), { cwd: root, query: 'Unfinished' }), [], 'search indexes only what was committed');
    closeIndexes();

    const next = coreDeps({ cwd: root, now: '2026-01-11T10:50:00Z' });
    await logSession(next, { message: 'Three', cwd: root });
    assert.deepEqual(messages(read(entry)), ['One', 'Two', 'Three']);
    assert.match(next.warnings.join('\n'), /undid an unfinished write/);
    assert.ok(!fs.existsSync(lockPathOf(entry)));
  });

  it('a reader that caches entries sees the section once its write ends, though the entry did not change again', async (t) => {
    const { root, entry } = kb(t);
    await twoSessions(root);
    await stoppedWriter(root, 'Slow', (text) => text);
    const cache = new EntryCache();
    const deps = { fs: coreDeps({ cwd: root }).fs };
    const shown = async () => (await cache.load(deps, root, entry))!.entry.sessions.map((session) => session.message);
    assert.deepEqual(await shown(), ['One', 'Two'], 'during the write, its section is hidden');
    // The write ends as a live writer's does: its lock goes, the entry's bytes, size and time stay as they are.
    fs.rmSync(lockPathOf(entry));
    assert.deepEqual(await shown(), ['One', 'Two', 'Slow'], 'after it, the section is shown');
  });

  it('stopped at a page boundary part way through a long section: that part is taken back', async (t) => {
    const { root, entry } = kb(t);
    await twoSessions(root);
    const long = `Long ${'x'.repeat(9000)}`;
    await stoppedWriter(root, long, (text, offset) => {
      const bytes = Buffer.from(text);
      const page = 4096 - (offset % 4096);
      return bytes.subarray(0, page).toString('utf8');
    });
    assert.equal(fs.statSync(entry).size % 4096, 0, 'the file ends where a killed write can end');
    await logSession(coreDeps({ cwd: root, now: '2026-01-11T10:50:00Z' }), { message: 'Three', cwd: root });
    assert.deepEqual(messages(read(entry)), ['One', 'Two', 'Three']);
  });
});

describe('bytes someone else wrote after a crashed writer', () => {
  it('are never cut: an `echo >>` after the crash is kept and shown, and the next writer says so', async (t) => {
    const { root, entry } = kb(t);
    await twoSessions(root);
    await stoppedWriter(root, 'Unfinished', (text) => text);
    fs.appendFileSync(entry, '\n## 2026-01-11 10:45 UTC\n\nWritten by mx meanwhile.\n');

    const seen = messages((await readCommitted({ fs: coreDeps({ cwd: root }).fs }, entry))!);
    assert.ok(seen.includes('Written by mx meanwhile.'), `readers do not hide it: ${JSON.stringify(seen)}`);
    const history = await sessionHistory(coreDeps({ cwd: root }), { cwd: root });
    assert.ok(
      history.sessions.some((session) => session.message === 'Written by mx meanwhile.'),
      'history shows it',
    );

    const next = coreDeps({ cwd: root, now: '2026-01-11T10:50:00Z' });
    await logSession(next, { message: 'Three', cwd: root });
    assert.deepEqual(messages(read(entry)), ['One', 'Two', 'Unfinished', 'Written by mx meanwhile.', 'Three']);
    assert.match(next.warnings.join('\n'), /are not only what it wrote.*all are kept/);
  });

  it('are never cut when the crashed writer left only part of its section', async (t) => {
    const { root, entry } = kb(t);
    await twoSessions(root);
    await stoppedWriter(root, 'Unfinished business', (text) => text.slice(0, text.indexOf('business')));
    fs.appendFileSync(entry, 'typed in an editor\n');
    await logSession(coreDeps({ cwd: root, now: '2026-01-11T10:50:00Z' }), { message: 'Three', cwd: root });
    const text = read(entry);
    assert.ok(text.includes('Unfinished typed in an editor\n'), 'the bytes are all still there');
    assert.deepEqual(messages(text).at(-1), 'Three');
  });
});
