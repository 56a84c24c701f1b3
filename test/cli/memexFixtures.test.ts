/**
 * Entries written by memex (and edited by hand) load, and stay loadable with every old
 * session after we append to them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import type { Entry, Session } from '../../src/core/model/session';
import { readCommitted } from '../../src/core/storage/entryFile';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { FIXTURES } from '../support/paths';
import { tempDir } from '../support/files';
import { cli } from '../support/cli';

const MEMEX = path.join(FIXTURES, 'memex');

interface Expected {
  frontmatter: Record<string, unknown>;
  sessions: { heading: string; timestamp?: string; tags: string[]; message: string; links: string[] }[];
  crlf?: boolean;
  bom?: boolean;
}

const EXPECTED: Record<string, Expected> = {
  'projects/webapp/sessions.md': {
    frontmatter: {
      title: 'webapp Sessions',
      tags: ['webapp', 'sessions'],
      created: '2026-01-11 10:30:00.123456+00:00',
      updated: '2026-01-12 16:02:11.504213+00:00',
    },
    sessions: [
      { heading: '2026-01-11 10:30 UTC', timestamp: '2026-01-11T10:30:00Z', tags: [], message: 'Started work on the OAuth2 login flow.', links: [] },
      {
        heading: '2026-01-11 14:45 UTC',
        timestamp: '2026-01-11T14:45:00Z',
        tags: ['auth', 'progress'],
        message: 'Fixed authentication module, added OAuth2 support.',
        links: ['patterns/oauth2.md', 'projects/webapp/tests.md'],
      },
      {
        // memex wrote `--tags=auth,` as `#auth #`: the bare # is no tag, and the line is still the tag line.
        heading: '2026-01-12 16:02 UTC',
        timestamp: '2026-01-12T16:02:00Z',
        tags: ['auth'],
        message: 'Completed: auth module. TODO: tests\n- token refresh still flaky on Safari\n- see the CI run from this morning',
        links: ['tooling/testing.md'],
      },
    ],
  },
  'projects/cli-tool/sessions.md': {
    frontmatter: { title: 'MyProject Sessions', tags: ['myproject', 'sessions'], created: '2026-01-11T10:30:00Z' },
    sessions: [
      { heading: '2026-01-11 10:30 UTC', timestamp: '2026-01-11T10:30:00Z', tags: [], message: 'Initial session message here.', links: [] },
      {
        heading: '2026-01-11 14:45 UTC',
        timestamp: '2026-01-11T14:45:00Z',
        tags: ['auth', 'progress'],
        message: 'Fixed authentication module, added OAuth2 support.',
        links: ['patterns/oauth2.md', 'projects/myapp/tests.md'],
      },
    ],
  },
  'projects/notes/sessions.md': {
    frontmatter: {
      title: 'notes Sessions',
      tags: ['notes', 'sessions'],
      created: '2026-01-11T09:00:00.000001+00:00',
      updated: '2026-01-11T09:00:41.987654+00:00',
    },
    sessions: [
      { heading: '2026-01-11 09:00 UTC', timestamp: '2026-01-11T09:00:00Z', tags: [], message: 'Started the migration script.', links: [] },
      {
        heading: '2026-01-11 09:00 UTC',
        timestamp: '2026-01-11T09:00:00Z',
        tags: ['migration'],
        message: 'Migration script runs against staging; two tables left.',
        links: [],
      },
      {
        heading: '2026-01-11 09:00 UTC',
        timestamp: '2026-01-11T09:00:00Z',
        tags: [],
        message: 'Rolled back: the second table needs a lock first.',
        links: ['infra/db.md'],
      },
    ],
  },
  'projects/infra/sessions.md': {
    frontmatter: {
      title: 'infra Sessions',
      description: 'Infra work: clusters, DNS, certificates',
      tags: ['infra', 'sessions'],
      created: '2026-01-05T08:15:00.000000+00:00',
      updated: '2026-01-09T17:40:12.250000+00:00',
      contributors: ['Chris <chris@example.com>'],
      aliases: ['ops-log'],
      status: 'draft',
      source_project: 'infra',
      edit_sources: ['webapp'],
      model: 'claude-sonnet-4',
      git_branch: 'main',
      last_edited_by: 'chris',
      keywords: ['kubernetes', 'dns'],
      semantic_links: [{ path: 'infra/dns.md', score: 0.82, reason: 'same zone records' }],
      relations: [{ path: 'infra/certs.md', type: 'depends_on' }],
    },
    sessions: [
      { heading: '2026-01-05 08:15 UTC', timestamp: '2026-01-05T08:15:00Z', tags: ['k8s'], message: 'Upgraded the staging cluster to 1.30.', links: [] },
      {
        heading: '2026-01-09 17:40 UTC',
        timestamp: '2026-01-09T17:40:00Z',
        tags: [],
        message: 'Rotated the wildcard certificate; DNS TTLs back to 300.',
        links: ['infra/certs.md', 'infra/dns.md|DNS notes'],
      },
    ],
  },
  'projects/hand/sessions.md': {
    frontmatter: { title: 'Hand Edited Sessions', tags: ['hand', 'sessions'], created: '2026-01-11 10:30:00.123456+00:00' },
    crlf: true,
    bom: true,
    sessions: [
      { heading: '2026-01-11 10:30 UTC', timestamp: '2026-01-11T10:30:00Z', tags: ['setup'], message: 'First session, written by mx session-log.', links: [] },
      {
        heading: '2026-01-11 12:00 UTC',
        timestamp: '2026-01-11T12:00:00Z',
        tags: [],
        message: 'Edited by hand afterwards: added this paragraph.\n\nTrailing spaces on the next line are kept by the editor:',
        links: ['projects/hand/plan.md'],
      },
    ],
  },
};

function without(value: object, ...keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/** A session without its line numbers, which an added `updated` line shifts. */
function essentials(session: Session): Record<string, unknown> {
  return without(session, 'startLine', 'endLine');
}

function checkExpected(entry: Entry, expected: Expected): void {
  for (const [key, value] of Object.entries(expected.frontmatter)) assert.deepEqual(entry.frontmatter[key], value, `frontmatter ${key}`);
  assert.equal(entry.sessions.length, expected.sessions.length);
  expected.sessions.forEach((want, index) => {
    const got = entry.sessions[index]!;
    assert.deepEqual(
      { heading: got.heading, timestamp: got.timestamp, tags: got.tags, message: got.message, links: got.links },
      { timestamp: undefined, ...want },
      `session ${index}`,
    );
    assert.equal(got.index, index);
  });
}

describe('entries written by memex', () => {
  it('the fixtures are the ones these tests describe', () => {
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.md')) found.push(path.relative(MEMEX, full).split(path.sep).join('/'));
      }
    };
    walk(MEMEX);
    assert.deepEqual(found.sort(), Object.keys(EXPECTED).sort());
  });

  for (const [relative, expected] of Object.entries(EXPECTED)) {
    describe(relative, () => {
      const source = path.join(MEMEX, relative);

      it('loads and parses', async () => {
        const bytes = fs.readFileSync(source);
        assert.equal(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), !!expected.bom, 'byte order mark');
        assert.equal(bytes.includes('\r\n'), !!expected.crlf, 'CRLF');
        const text = await readCommitted({ fs: new NodeFileSystem() }, source);
        assert.ok(text !== undefined);
        checkExpected(parseEntry(text, source), expected);
      });

      it('keeps every session, key and byte when appended to twice (CLI)', (t) => {
        const kb = tempDir(t);
        const file = path.join(kb, relative);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.copyFileSync(source, file);
        const original = fs.readFileSync(file, 'utf8');
        const before = parseEntry(original, file);

        let previous = original;
        for (const message of ['Appended by sessionlog.\n## not a heading', 'Second append, with tags and a link.']) {
          const result = cli(['log', '-m', message, '-e', relative, '--tags', 'compat', '--links', 'infra/db.md', '--json'], {
            cwd: kb,
            env: { MEMEX_KB_ROOT: kb },
          });
          assert.equal(result.status, 0, result.stderr);
          assert.equal(JSON.parse(result.stdout).action, 'appended');
          const text = fs.readFileSync(file, 'utf8');
          const after = parseEntry(text, file);

          assert.equal(after.sessions.length, before.sessions.length + (previous === original ? 1 : 2));
          before.sessions.forEach((session, index) => assert.deepEqual(essentials(after.sessions[index]!), essentials(session)));
          const added = after.sessions[after.sessions.length - 1]!;
          assert.equal(added.message, message);
          assert.deepEqual(added.tags, ['compat']);
          assert.deepEqual(added.links, ['infra/db.md']);

          assert.deepEqual(without(after.frontmatter, 'updated'), without(before.frontmatter, 'updated'), 'every other frontmatter key is kept');
          assert.match(String(after.frontmatter.updated), /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/);
          assert.equal(text.startsWith('\uFEFF'), !!expected.bom, 'byte order mark kept');
          if (expected.crlf) assert.doesNotMatch(text, /[^\r]\n/, 'CRLF throughout');
          else assert.doesNotMatch(text, /\r/);

          // Everything after the frontmatter is the old text with its trailing white space cut, a blank line, the section.
          const eol = expected.crlf ? '\r\n' : '\n';
          const body = (s: string): string => s.slice(s.indexOf(`${eol}---${eol}`) + 3 + eol.length * 2);
          assert.ok(body(text).startsWith(`${body(previous).trimEnd()}${eol}${eol}## `), 'appended after the old text and one blank line');
          if (previous !== original || before.frontmatter.updated !== undefined) {
            // With `updated` already there, only its value changes in the frontmatter: same length, same place.
            const head = (s: string): string => s.slice(0, s.indexOf(`${eol}---${eol}`));
            assert.equal(head(text).length, head(previous).length);
            assert.equal(head(text).replace(/^updated: .*$/m, ''), head(previous).replace(/^updated: .*$/m, ''));
          }
          previous = text;
        }
      });
    });
  }
});
