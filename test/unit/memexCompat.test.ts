/**
 * Both ways with memex-kb 0.1.1 (`mx session-log`): the times we write are in the form memex
 * compares (naive UTC for new entries, the entry's own form otherwise), and an entry memex has
 * re-serialised (unindented lists, naive times, its own keys, no final newline) keeps its style
 * byte for byte when we append: only the `updated` value changes, and the file is patched in
 * place, not replaced. The fixtures in test/fixtures/memex-0.1.1 are in the form memex writes
 * (memex itself cannot be installed here: PyPI is out of reach).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import { logSession } from '../../src/core/usecases/logSession';
import { withUpdated } from '../../src/core/storage/entryFile';
import { read, tempDir, write } from '../support/files';
import { coreDeps } from '../support/core';
import { frontmatterOf, kbWith, MEMEX } from '../support/memexKb';

describe('times in the form memex compares', () => {
  it('a new entry has naive UTC times (created, then updated), which memex compares without failing', async (t) => {
    const root = tempDir(t);
    write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
    const first = coreDeps({ cwd: root, now: '2026-12-02T10:51:40.250Z' });
    await logSession(first, { message: 'One', cwd: root });
    const file = path.join(root, 'sessions.md');
    assert.match(read(file), /\ncreated: '2026-12-02T10:51:40'\n/);
    await logSession(coreDeps({ cwd: root, now: '2026-12-02T11:02:13Z' }), { message: 'Two', cwd: root });
    assert.match(read(file), /\ncreated: '2026-12-02T10:51:40'\nupdated: '2026-12-02T11:02:13'\n---\n/);
    await logSession(coreDeps({ cwd: root, now: '2026-12-03T08:00:00Z' }), { message: 'Three', cwd: root });
    assert.match(read(file), /\nupdated: '2026-12-03T08:00:00'\n/);
    assert.doesNotMatch(frontmatterOf(read(file)), /Z'|\+00:00/, 'no zone anywhere');
  });

  it('an entry keeps the form it already uses: Z, +00:00 with microseconds, or naive', () => {
    const at = '2026-12-03T08:00:00Z';
    assert.equal(withUpdated("created: '2026-01-11T10:30:00Z'\n", at, '\n'), "created: '2026-01-11T10:30:00Z'\nupdated: '2026-12-03T08:00:00Z'\n");
    assert.equal(
      withUpdated('created: 2026-01-11 10:30:00.123456+00:00\n', at, '\n'),
      'created: 2026-01-11 10:30:00.123456+00:00\nupdated: 2026-12-03 08:00:00.000000+00:00\n',
    );
    assert.equal(withUpdated("created: '2026-12-02T10:51:40'\n", at, '\n'), "created: '2026-12-02T10:51:40'\nupdated: '2026-12-03T08:00:00'\n");
    assert.equal(withUpdated('title: x\n', at, '\n'), "title: x\nupdated: '2026-12-03T08:00:00'\n", "no created: memex's naive form");
  });
});

describe('an entry memex re-serialised', () => {
  it('one memex has just created (no updated): the updated line is added after created, in place, nothing else changes', async (t) => {
    const original = read(path.join(MEMEX, 'projects/mx/fresh.md'));
    const { root, file } = kbWith(t, 'projects/mx/fresh.md', original);
    const inode = fs.statSync(file).ino;
    await logSession(coreDeps({ cwd: root, now: '2026-12-03T08:00:00Z' }), { message: 'Second, from sessionlog.', cwd: root });
    const text = read(file);
    assert.equal(
      frontmatterOf(text),
      frontmatterOf(original).replace("created: '2026-12-02T10:51:40'\n", "created: '2026-12-02T10:51:40'\nupdated: '2026-12-03T08:00:00'\n"),
    );
    assert.equal(fs.statSync(file).ino, inode, 'patched in place, not replaced');
    assert.deepEqual(
      parseEntry(text).sessions.map((session) => session.message),
      ['The only session, as memex creates an entry.', 'Second, from sessionlog.'],
    );
  });

  it('comments, flow style, folded text and list indentation stay byte for byte when updated is added', async (t) => {
    const frontmatter = [
      '---',
      '# kept: a comment',
      'title: "Styled Sessions"   # trailing comment',
      'tags: [styled, sessions]',
      'summary: >-',
      '  folded text',
      '  over two lines',
      'owners:',
      '    - deeply',
      '    - indented',
      'created: 2026-01-11T10:30:00Z',
      'meta: {a: 1, b: [x, y]}',
      '---',
    ].join('\n');
    const { root, file } = kbWith(t, 'styled.md', `${frontmatter}\n\n# Session Log\n\n## 2026-01-11 10:30 UTC\n\nOne\n`);
    await logSession(coreDeps({ cwd: root, now: '2026-12-03T08:00:00Z' }), { message: 'Two', cwd: root });
    const text = read(file);
    assert.equal(frontmatterOf(text), frontmatter.replace('created: 2026-01-11T10:30:00Z\n', 'created: 2026-01-11T10:30:00Z\nupdated: 2026-12-03T08:00:00Z\n'));
    assert.deepEqual(
      parseEntry(text).sessions.map((session) => session.message),
      ['One', 'Two'],
    );
  });
});
