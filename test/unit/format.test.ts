/**
 * memex's on-disk format, byte for byte: a new entry, a section, appending, `updated`, and the
 * frontmatter keys we do not know.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import * as YAML from 'yaml';
import { parseEntry } from '../../src/core/format/parse';
import { logSession, type LogSessionInput } from '../../src/core/usecases/logSession';
import { read, tempDir, write } from '../support/files';
import { coreDeps } from '../support/core';

const NEW_ENTRY = `---
title: myapp Sessions
tags:
  - myapp
  - sessions
created: '2026-01-11T10:30:00'
---

# Session Log

Session notes for myapp.

## 2026-01-11 10:30 UTC

Initial session message here.
`;

/** A knowledge base whose .kbcontext names the project and the entry. */
function kb(t: TestContext, kbcontext = 'project: myapp\nsession_entry: projects/myapp/sessions.md\n'): { root: string; entry: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), kbcontext);
  return { root, entry: path.join(root, 'projects/myapp/sessions.md') };
}

async function logAt(root: string, now: string, input: Omit<LogSessionInput, 'cwd'>): Promise<Awaited<ReturnType<typeof logSession>>> {
  return logSession(coreDeps({ cwd: root, now }), { ...input, cwd: root });
}

describe('a new entry', () => {
  it('is written exactly as memex creates one', async (t) => {
    const { root, entry } = kb(t);
    const result = await logAt(root, '2026-01-11T10:30:00Z', { message: 'Initial session message here.' });
    assert.equal(read(entry), NEW_ENTRY);
    assert.equal(result.action, 'created');
    assert.equal(result.path, 'projects/myapp/sessions.md');
    assert.equal(result.project, 'myapp');
    assert.equal(result.context_source, '.kbcontext (session_entry)');
  });

  it('titles and tags a project whose name is not a tag', async (t) => {
    const { root, entry } = kb(t, 'project: My App\nprimary: projects/my-app/\n');
    await logAt(root, '2026-01-11T10:30:59.999Z', { message: 'm' });
    const text = fs.readFileSync(path.join(root, 'projects/my-app/sessions.md'), 'utf8');
    assert.ok(!fs.existsSync(entry));
    assert.equal(
      text,
      NEW_ENTRY.replace('title: myapp Sessions', 'title: My App Sessions')
        .replace('  - myapp\n', '  - my-app\n')
        .replace('Session notes for myapp.', 'Session notes for My App.')
        .replace("created: '2026-01-11T10:30:00'", "created: '2026-01-11T10:30:59'")
        .replace('Initial session message here.', 'm'),
    );
  });
});

describe('a section', () => {
  it('has the heading, tag line, message, structured record and Related line in that order', async (t) => {
    const { root, entry } = kb(t);
    await logAt(root, '2026-01-11T10:30:00Z', { message: 'Initial session message here.' });
    await logAt(root, '2026-01-11T14:45:30Z', {
      message: 'Fixed authentication module, added OAuth2 support.\n\nSecond paragraph.',
      tags: ['auth', '#progress'],
      links: ['patterns/oauth2.md', '[[projects/myapp/tests.md]]'],
      files: ['src/auth/jwt.ts', 'src/odd `name`.ts'],
      decisions: [{ decision: 'Used jose library for JWT', rationale: 'Type-safe, no native dependencies' }, { decision: '15-minute access token expiry' }],
      followUps: ['Add refresh token rotation', { text: 'Implement logout endpoint', done: true }],
      next: 'Auth middleware is complete.\nFocus on src/auth/refresh.ts',
    });
    const text = read(entry);
    const section = text.slice(text.indexOf('## 2026-01-11 14:45 UTC'));
    assert.equal(
      section,
      `## 2026-01-11 14:45 UTC

#auth #progress

Fixed authentication module, added OAuth2 support.

Second paragraph.

### Files modified

- \`src/auth/jwt.ts\`
- \`\`src/odd \`name\`.ts\`\`

### Decisions

- Used jose library for JWT
  - Rationale: Type-safe, no native dependencies
- 15-minute access token expiry

### Follow-ups

- [ ] Add refresh token rotation
- [x] Implement logout endpoint

### Next session

Auth middleware is complete.
Focus on src/auth/refresh.ts

Related: [[patterns/oauth2.md]], [[projects/myapp/tests.md]]
`,
    );
    const session = parseEntry(text).sessions[1]!;
    assert.deepEqual(session.files, ['src/auth/jwt.ts', 'src/odd `name`.ts']);
    assert.deepEqual(session.followUps, [
      { text: 'Add refresh token rotation', done: false },
      { text: 'Implement logout endpoint', done: true },
    ]);
    assert.equal(session.timestamp, '2026-01-11T14:45:00Z');
  });

  it('leaves out the parts that are missing', async (t) => {
    const { root, entry } = kb(t);
    await logAt(root, '2026-01-11T10:30:00Z', { message: 'first' });
    await logAt(root, '2026-01-11T10:31:00Z', { message: 'only links', links: ['a.md', 'b.md'] });
    await logAt(root, '2026-01-11T10:32:00Z', { message: 'only tags', tags: ['x'] });
    assert.ok(read(entry).endsWith('## 2026-01-11 10:31 UTC\n\nonly links\n\nRelated: [[a.md]], [[b.md]]\n\n## 2026-01-11 10:32 UTC\n\n#x\n\nonly tags\n'));
  });
});

describe('appending', () => {
  it('adds a blank line and the section to the text with its trailing white space removed, and sets updated', async (t) => {
    const { root, entry } = kb(t);
    await logAt(root, '2026-01-11T10:30:00Z', { message: 'Initial session message here.' });
    fs.appendFileSync(entry, '\n\n  \t\n\n');
    const result = await logAt(root, '2026-01-11T14:45:00Z', {
      message: 'Fixed authentication module, added OAuth2 support.',
      tags: ['auth', 'progress'],
      links: ['patterns/oauth2.md', 'projects/myapp/tests.md'],
    });
    assert.equal(result.action, 'appended');
    assert.equal(
      read(entry),
      `${NEW_ENTRY.replace("created: '2026-01-11T10:30:00'\n", "created: '2026-01-11T10:30:00'\nupdated: '2026-01-11T14:45:00'\n")}
## 2026-01-11 14:45 UTC

#auth #progress

Fixed authentication module, added OAuth2 support.

Related: [[patterns/oauth2.md]], [[projects/myapp/tests.md]]
`,
    );
  });

  it('patches updated in place (same file, same length) on later appends', async (t) => {
    const { root, entry } = kb(t);
    await logAt(root, '2026-01-11T10:30:00Z', { message: 'one' });
    await logAt(root, '2026-01-11T11:00:00Z', { message: 'two' });
    const before = read(entry);
    const inode = fs.statSync(entry).ino;
    await logAt(root, '2026-01-12T09:05:07Z', { message: 'three' });
    const after = read(entry);
    assert.equal(fs.statSync(entry).ino, inode, 'an append with updated present rewrites nothing');
    assert.equal(after, `${before.replace("updated: '2026-01-11T11:00:00'", "updated: '2026-01-12T09:05:07'")}\n## 2026-01-12 09:05 UTC\n\nthree\n`);
  });

  const styles: [string, string, string][] = [
    ['memex isoformat, microseconds, +00:00', 'updated: 2026-01-11T10:30:00.123456+00:00', 'updated: 2026-02-03T04:05:06.000000+00:00'],
    ['memex unquoted with a space, microseconds, +00:00', 'updated: 2026-01-11 10:30:00.123456+00:00', 'updated: 2026-02-03 04:05:06.000000+00:00'],
    ['single-quoted Z', "updated: '2026-01-11T10:30:00Z'", "updated: '2026-02-03T04:05:06Z'"],
    ['double-quoted Z', 'updated: "2026-01-11T10:30:00Z"', 'updated: "2026-02-03T04:05:06Z"'],
    ['another offset, milliseconds', 'updated: 2026-01-11T12:30:00.123+02:00', 'updated: 2026-02-03T04:05:06.000+00:00'],
  ];
  for (const [style, line, expected] of styles) {
    it(`keeps the style of an existing updated: ${style}`, async (t) => {
      const { root, entry } = kb(t);
      const original = `---\ntitle: myapp Sessions\ntags:\n- myapp\n- sessions\ncreated: 2026-01-11 10:30:00.123456+00:00\n${line}\nsource_project: myapp\n---\n\n# Session Log\n\nSession notes for myapp.\n\n## 2026-01-11 10:30 UTC\n\nFirst.\n`;
      write(entry, original);
      const inode = fs.statSync(entry).ino;
      // `updated` is kept to the second; fraction digits already there are filled with zeros.
      await logAt(root, '2026-02-03T04:05:06.789Z', { message: 'Second.' });
      assert.equal(read(entry), `${original.replace(line, expected)}\n## 2026-02-03 04:05 UTC\n\nSecond.\n`);
      assert.equal(fs.statSync(entry).ino, inode, 'patched in place, not rewritten');
    });
  }

  it('keeps every frontmatter key it does not know, with its comments, when it adds updated', async (t) => {
    const { root, entry } = kb(t);
    const frontmatter = `title: myapp Sessions
description: "Sessions: the log"
tags:
  - myapp
  - sessions
created: 2026-01-11T10:30:00.123456+00:00
# kept by hand
aliases:
  - log
status: draft
contributors:
  - Ada <ada@example.com>
semantic_links:
  - path: patterns/oauth2.md
    score: 0.87
    reason: shared topic
custom: {a: 1, b: [x, y]}
`;
    write(entry, `---\n${frontmatter}---\n\n# Session Log\n\n## 2026-01-11 10:30 UTC\n\nFirst.\n`);
    await logAt(root, '2026-01-12T08:00:00Z', { message: 'Second.' });
    const text = read(entry);
    const parsed = parseEntry(text);
    // In the form of the entry's own created time.
    assert.deepEqual(parsed.frontmatter, { ...YAML.parse(frontmatter), updated: '2026-01-12T08:00:00.000000+00:00' });
    assert.equal(
      text.slice(4, text.indexOf('\n---\n') + 1),
      frontmatter.replace('+00:00\n', '+00:00\nupdated: 2026-01-12T08:00:00.000000+00:00\n'),
      'every other line byte for byte',
    );
    assert.match(text, /^# kept by hand$/m);
    assert.deepEqual(
      parsed.sessions.map((s) => s.message),
      ['First.', 'Second.'],
    );
    await logAt(root, '2026-01-13T08:00:00Z', { message: 'Third.' });
    assert.deepEqual(parseEntry(read(entry)).frontmatter, { ...YAML.parse(frontmatter), updated: '2026-01-13T08:00:00.000000+00:00' });
  });
});

describe('what goes into a section', () => {
  it('--no-timestamp writes no heading (the text joins the session before it, as in memex)', async (t) => {
    const { root, entry } = kb(t);
    await logAt(root, '2026-01-11T10:30:00Z', { message: 'first' });
    const result = await logAt(root, '2026-01-11T10:35:00Z', { message: 'no heading', tags: ['t'], noTimestamp: true });
    assert.equal(result.heading, undefined);
    assert.ok(read(entry).endsWith('\n## 2026-01-11 10:30 UTC\n\nfirst\n\n#t\n\nno heading\n'));
    assert.equal(parseEntry(read(entry)).sessions.length, 1);
  });

  it('merges default_tags from .kbcontext after --tags, without repeats', async (t) => {
    const { root, entry } = kb(t, 'project: myapp\nsession_entry: projects/myapp/sessions.md\ndefault_tags: [myapp, team]\n');
    await logAt(root, '2026-01-11T10:30:00Z', { message: 'one', tags: ['auth'] });
    await logAt(root, '2026-01-11T10:31:00Z', { message: 'two', tags: ['team', 'x'] });
    await logAt(root, '2026-01-11T10:32:00Z', { message: 'three' });
    assert.deepEqual(
      parseEntry(read(entry)).sessions.map((s) => s.tags),
      [
        ['auth', 'myapp', 'team'],
        ['team', 'x', 'myapp'],
        ['myapp', 'team'],
      ],
    );
  });
});
