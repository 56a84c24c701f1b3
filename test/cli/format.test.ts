/** memex's on-disk format through the bundled CLI: what its flags put into an entry. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import { read, tempDir, write } from '../support/files';
import { cli } from '../support/cli';

/** A knowledge base whose .kbcontext names the project and the entry. */
function kb(t: TestContext, kbcontext = 'project: myapp\nsession_entry: projects/myapp/sessions.md\n'): { root: string; entry: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), kbcontext);
  return { root, entry: path.join(root, 'projects/myapp/sessions.md') };
}

describe('a new entry', () => {
  it('is tagged just [sessions] when the project is unknown (run from /)', (t) => {
    assert.ok(!fs.existsSync('/.kbcontext') && !fs.existsSync('/package.json'), 'this test needs / without .kbcontext or package.json');
    const root = tempDir(t);
    const result = cli(['log', '-m', 'From the root', '-e', 'sessions.md', '--json'], { cwd: '/', env: { MEMEX_KB_ROOT: root } });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { path: 'sessions.md', action: 'created', project: 'Unknown', context_source: 'explicit' });
    const text = read(path.join(root, 'sessions.md'));
    assert.match(
      text,
      /^---\ntitle: Unknown Sessions\ntags:\n {2}- sessions\ncreated: '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d'\n---\n\n# Session Log\n\nSession notes for Unknown\.\n\n## \d{4}-\d\d-\d\d \d\d:\d\d UTC\n\nFrom the root\n$/,
    );
    assert.deepEqual(parseEntry(text).frontmatter.tags, ['sessions']);
  });
});

describe('what goes into a section', () => {
  it('--no-timestamp through the CLI', (t) => {
    const { root, entry } = kb(t);
    assert.equal(cli(['log', '-m', 'first'], { cwd: root }).status, 0);
    const result = cli(['log', '-m', 'second', '--no-timestamp'], { cwd: root });
    assert.equal(result.status, 0, result.stderr);
    assert.match(read(entry), /\n## \d{4}-\d\d-\d\d \d\d:\d\d UTC\n\nfirst\n\nsecond\n$/);
  });

  it('drops empty tags (--tags="a,,b") and never writes a bare #', (t) => {
    const { root, entry } = kb(t);
    const result = cli(['log', '-m', 'tagged', '--tags=a,,b', '--tags', ',#c,, '], { cwd: root });
    assert.equal(result.status, 0, result.stderr);
    const text = read(entry);
    assert.match(text, /\n\n#a #b #c\n\ntagged\n$/);
    const tagLines = text.split('\n').filter((line) => /^#[^# ]/.test(line));
    assert.deepEqual(tagLines, ['#a #b #c']);
    assert.ok(!text.split('\n').includes('#'));
  });

  it('refuses a tag with a space or bracket (usage error, exit 2)', (t) => {
    const { root, entry } = kb(t);
    const result = cli(['log', '-m', 'x', '--tags', 'two words'], { cwd: root });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--tags: tag 'two words'/);
    assert.ok(!fs.existsSync(entry));
  });
});
