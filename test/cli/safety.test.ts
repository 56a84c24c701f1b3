/** No lost data through the bundled CLI: a broken entry is never modified, --backup keeps what was there. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { SessionLogError } from '../../src/core/errors';
import { logSession } from '../../src/core/usecases/logSession';
import { read, tempDir, write } from '../support/files';
import { coreDeps } from '../support/core';
import { cli, oneLine } from '../support/cli';

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
