/**
 * Appends that fail part way, readers racing a writer, frontmatter longer than an append's head.
 * A broken entry never touched and --backup, through the CLI: test/cli/safety.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import type { FileHandle } from '../../src/core/ports';
import { readCommitted } from '../../src/core/storage/entryFile';
import { logSession } from '../../src/core/usecases/logSession';
import { read, tempDir, write } from '../support/files';
import { coreDeps } from '../support/core';

function kb(t: TestContext): { root: string; entry: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
  return { root, entry: path.join(root, 'sessions.md') };
}

const BODY = '\n# Session Log\n\n## 2026-01-11 10:30 UTC\n\nFirst.\n';

describe('an append that fails part way (a full disk)', () => {
  it('puts the entry back as it was, leaves no lock, and the next append works', async (t) => {
    const { root, entry } = kb(t);
    const deps = coreDeps({ cwd: root });
    await logSession(deps, { message: 'First', cwd: root });
    await logSession(deps, { message: 'Second', cwd: root });
    const before = read(entry);
    const open = deps.fs.open.bind(deps.fs);
    let failures = 0;
    deps.fs.open = async (file) => {
      const handle = await open(file);
      if (!handle || path.basename(file) !== 'sessions.md') return handle;
      const failing: FileHandle = {
        stat: () => handle.stat(),
        read: (start, length) => handle.read(start, length),
        truncate: (size) => handle.truncate(size),
        sync: () => handle.sync(),
        close: () => handle.close(),
        write: async (offset, text) => {
          if (!text.includes('Third')) return handle.write(offset, text);
          failures++;
          await handle.write(offset, text.slice(0, 12));
          throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC' });
        },
      };
      return failing;
    };
    await assert.rejects(logSession(deps, { message: 'Third', cwd: root }), /ENOSPC/);
    assert.equal(failures, 1);
    assert.equal(read(entry), before.trimEnd(), 'the entry is what it was (but for its trailing newline)');
    assert.ok(!fs.existsSync(`${entry}.lock`), 'no lock is left behind');
    deps.fs.open = open;
    await logSession(deps, { message: 'Fourth', cwd: root });
    assert.deepEqual(
      parseEntry(read(entry)).sessions.map((session) => session.message),
      ['First', 'Second', 'Fourth'],
    );
  });
});

describe('a reader racing a whole append', () => {
  it('never returns the half of a section a writer was writing while it read', async (t) => {
    const { root, entry } = kb(t);
    const deps = coreDeps({ cwd: root });
    await logSession(deps, { message: 'First', cwd: root });
    const readText = deps.fs.readText.bind(deps.fs);
    let raced = 0;
    // The first read sees a section half written by a writer that starts and finishes within the read
    // (no lock to be seen before or after it).
    deps.fs.readText = async (file) => {
      if (file !== entry || raced++ > 0) return readText(file);
      fs.appendFileSync(entry, '\n## 2026-01-11 10:31 UTC\n\nSeco');
      const torn = await readText(file);
      fs.appendFileSync(entry, 'nd, whole.\n');
      return torn;
    };
    const text = await readCommitted(deps, entry);
    assert.ok(raced >= 2, 'read again');
    assert.deepEqual(
      parseEntry(text!).sessions.map((session) => session.message),
      ['First', 'Second, whole.'],
    );
  });
});

describe('an entry whose frontmatter is longer than the head an append reads', () => {
  it('is appended to, its updated time patched in place and every key kept', async (t) => {
    const { root, entry } = kb(t);
    const notes = Array.from({ length: 3000 }, (_, i) => `  - note ${i} about the project's long history`).join('\n');
    write(
      entry,
      `---\ntitle: app Sessions\ntags: [app, sessions]\ncreated: '2026-01-11T10:30:00Z'\nupdated: '2026-01-11T10:30:00Z'\nnotes:\n${notes}\n---\n${BODY}`,
    );
    assert.ok(fs.statSync(entry).size > 100 * 1024);
    const deps = coreDeps({ cwd: root, now: '2026-02-01T08:00:00Z' });
    await logSession(deps, { message: 'After a long frontmatter', cwd: root });
    const text = read(entry);
    const parsed = parseEntry(text);
    assert.equal(parsed.frontmatter.updated, '2026-02-01T08:00:00Z');
    assert.equal((parsed.frontmatter.notes as string[]).length, 3000);
    assert.deepEqual(
      parsed.sessions.map((session) => session.message),
      ['First.', 'After a long frontmatter'],
    );
  });
});
