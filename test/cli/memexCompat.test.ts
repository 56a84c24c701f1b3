/** memex compatibility through the bundled CLI: appending to an entry memex re-serialised. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import { read } from '../support/files';
import { cli } from '../support/cli';
import { frontmatterOf, kbWith, MEMEX } from '../support/memexKb';

describe('an entry memex re-serialised', () => {
  it('appending to it changes the updated value only, in its naive form, keeps its lists, keys and sessions, in place', async (t) => {
    const original = read(path.join(MEMEX, 'projects/mx/sessions.md'));
    const { root, file } = kbWith(t, 'projects/mx/sessions.md', original);
    const inode = fs.statSync(file).ino;
    const run = cli(['log', '-m', 'Third, from sessionlog.'], { cwd: root });
    assert.equal(run.status, 0, run.stderr);
    const text = read(file);
    const updated = /\nupdated: '(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)'\n/.exec(text);
    assert.ok(updated, `updated stays naive: ${frontmatterOf(text)}`);
    assert.equal(
      frontmatterOf(text),
      frontmatterOf(original).replace("updated: '2026-12-02T11:02:13'", `updated: '${updated[1]}'`),
      'every other line byte for byte',
    );
    assert.ok(text.includes(`${original.slice(frontmatterOf(original).length)}\n\n## `), 'the old body is kept as memex left it');
    assert.equal(fs.statSync(file).ino, inode, 'patched in place');
    const parsed = parseEntry(text);
    assert.deepEqual(
      parsed.sessions.map((session) => session.message),
      ['First from mx.', 'Second from mx, appended by mx session-log.', 'Third, from sessionlog.'],
    );
    assert.deepEqual(parsed.frontmatter.contributors, ['alice', 'bob']);
    assert.equal(parsed.frontmatter.git_branch, 'main');
  });
});
