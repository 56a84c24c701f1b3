/**
 * An entry the reader cannot trust is never touched; --backup keeps the previous version.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { SessionLogError } from '../../src/core/errors';
import { parseEntry } from '../../src/core/format/parse';
import type { FileHandle } from '../../src/core/ports';
import { readCommitted } from '../../src/core/storage/entryFile';
import { logSession } from '../../src/core/usecases/logSession';
import { cli, coreDeps, oneLine, read, tempDir, write } from './helpers';

function kb(t: TestContext): { root: string; entry: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
  return { root, entry: path.join(root, 'sessions.md') };
}

const BODY = '\n# Session Log\n\n## 2026-01-11 10:30 UTC\n\nFirst.\n';

const BROKEN: [string, string | Buffer, number, RegExp][] = [
  ['invalid YAML', `---\ntitle: app Sessions\ntags: [app, sessions]]\ncreated: 2026-01-11\n---\n${BODY}`, 3, /not valid YAML/],
  ['a nested mapping in a compact one', `---\ntitle: app Sessions\ncreated: x: y\n---\n${BODY}`, 3, /not valid YAML/],
  ['YAML that is not a mapping', `---\n- a\n- b\n---\n${BODY}`, 2, /not a mapping/],
  ['an unterminated frontmatter', `---\ntitle: app Sessions\ntags: [app]\n\n# Session Log\n\n## 2026-01-11 10:30 UTC\n\nFirst.\n`, 1, /never closed/],
  ['invalid YAML with CRLF and a BOM', `\uFEFF---\r\ntitle: a\r\nb: @reserved\r\nc: d\r\n---\r\n${BODY.replace(/\n/g, '\r\n')}`, 3, /not valid YAML/],
  [
    'bytes that are not UTF-8',
    Buffer.concat([Buffer.from('---\ntitle: x\n---\n\n'), Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]), Buffer.from('\n')]),
    0,
    /not a UTF-8 text file/,
  ],
];

describe('an entry with broken frontmatter', () => {
  for (const [what, content, line, reason] of BROKEN) {
    it(`is never modified: ${what}`, async (t) => {
      const { root, entry } = kb(t);
      write(entry, content);
      const bytes = fs.readFileSync(entry);
      const { mtimeMs, ino } = fs.statSync(entry);
      for (const extra of [[], ['--backup'], ['--tags', 'a', '--links', 'b.md', '--no-timestamp']]) {
        const result = cli(['log', '-m', 'must not be written', ...extra], { cwd: root });
        assert.equal(result.status, 1, result.stderr);
        const message = oneLine(result.stderr);
        assert.ok(message.includes(line > 0 ? `${entry}:${line}:` : entry), message);
        assert.match(message, reason);
      }
      await assert.rejects(
        logSession(coreDeps({ cwd: root }), { message: 'core too', cwd: root }),
        (error: unknown) => error instanceof SessionLogError && error.code === 'unparseable_entry',
      );
      assert.ok(fs.readFileSync(entry).equals(bytes), 'bytes identical');
      assert.equal(fs.statSync(entry).mtimeMs, mtimeMs);
      assert.equal(fs.statSync(entry).ino, ino);
      assert.deepEqual(fs.readdirSync(root).sort(), ['.kbcontext', 'sessions.md'], 'no lock, backup or temporary file left');
    });
  }

  it('get and search report it rather than printing garbage; search skips it with a warning', (t) => {
    const { root, entry } = kb(t);
    write(entry, BROKEN[0]![1]);
    write(path.join(root, 'other.md'), '# Other\n\n## 2026-01-11 10:30 UTC\n\nFirst findable.\n');
    const get = cli(['get', 'sessions.md'], { cwd: root });
    assert.equal(get.status, 1);
    assert.ok(oneLine(get.stderr).includes(`${entry}:3:`));
    const search = cli(['search', 'First', '--json'], { cwd: root });
    assert.equal(search.status, 0, search.stderr);
    assert.deepEqual(
      JSON.parse(search.stdout).map((hit: { path: string }) => hit.path),
      ['other.md'],
    );
    assert.match(search.stderr, /skipped sessions\.md/);
  });
});

describe('--backup', () => {
  it('leaves <entry>.bak with the content before each write', (t) => {
    const { root, entry } = kb(t);
    assert.equal(cli(['log', '-m', 'first', '--backup'], { cwd: root }).status, 0);
    assert.ok(!fs.existsSync(`${entry}.bak`), 'nothing to back up when the entry is created');
    const v1 = read(entry);
    assert.equal(cli(['log', '-m', 'second', '--backup'], { cwd: root }).status, 0);
    assert.equal(read(`${entry}.bak`), v1);
    const v2 = read(entry);
    assert.notEqual(v2, v1);
    assert.equal(cli(['log', '-m', 'third'], { cwd: root }).status, 0);
    assert.equal(read(`${entry}.bak`), v1, 'without --backup the old backup is left alone');
    const v3 = read(entry);
    assert.equal(cli(['log', '-m', 'fourth', '--backup'], { cwd: root }).status, 0);
    assert.equal(read(`${entry}.bak`), v3);
    assert.match(read(`${entry}.bak`), /\n\nthird\n$/);
  });
});

describe('--backup onto a symbolic link', () => {
  it('replaces the link with the backup and never writes through it', (t) => {
    const { root, entry } = kb(t);
    const outside = path.join(tempDir(t), 'elsewhere.md');
    write(outside, 'not ours\n');
    assert.equal(cli(['log', '-m', 'first'], { cwd: root }).status, 0);
    const before = read(entry);
    fs.symlinkSync(outside, `${entry}.bak`);
    assert.equal(cli(['log', '-m', 'second', '--backup'], { cwd: root }).status, 0);
    assert.equal(read(outside), 'not ours\n');
    assert.ok(!fs.lstatSync(`${entry}.bak`).isSymbolicLink());
    assert.equal(read(`${entry}.bak`), before);
  });
});

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
