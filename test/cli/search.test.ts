/**
 * Search: relevance on a fixed corpus (stemming, prefix, typo, phrase, exclusion, boosts, every
 * filter), each query run through the CLI and through the MCP server; freshness (a plain append,
 * a git pull, a deleted or corrupted index, concurrent logs and searches).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { tempDir, write } from '../support/files';
import { commitAll, git, gitInit } from '../support/git';
import { cli, cliAsync } from '../support/cli';
import { McpConnection } from '../support/mcp';

const ALPHA = `---
title: alpha Sessions
tags:
  - alpha
  - sessions
created: '2026-03-01T09:00:00Z'
---

# Session Log

## 2026-03-01 09:00 UTC

#auth

Implemented JWT authentication for the API gateway. JWT authentication uses short-lived tokens.

## 2026-03-05 10:00 UTC

#cache

Fixed the cache invalidation race in the parser.

## 2026-03-10 11:00 UTC

#deploy

Deployed staging with the new deploy script.

## 2026-03-12 12:00 UTC

Talked about tokens and refresh rotation with the team.

## Login hardening

Small changes to session cookies.

## 2026-03-14 08:00 UTC

#perf

Some hardening of the cookie code; more to do.
`;

const BETA = `---
title: beta Sessions
tags:
  - beta
  - sessions
created: '2026-02-01T09:00:00Z'
---

# Session Log

## 2026-02-01 09:00 UTC

#auth

Token rotation for refresh tokens designed.

## 2026-04-01 10:00 UTC

Reviewed the legacy deploy pipeline.
`;

const ADR = `---
id: ADR-001
title: Use quaternion storage
date: '2026-03-20'
status: accepted
tags:
  - adr
  - decision
---

# ADR-001: Use quaternion storage

**Status:** accepted · **Date:** 2026-03-20

## Decision

Store orientations as quaternions.
`;

interface Hit {
  kind: string;
  path: string;
  line: number;
  heading: string;
  tags: string[];
  turnId?: string;
  agent?: string;
  status?: string;
  snippet: string;
  highlights: [number, number][];
}

/** The corpus: two entries, a decision record, and an agent session (two turns, one failed) written over MCP. */
async function corpus(t: TestContext): Promise<{ root: string; mcp: McpConnection }> {
  const root = tempDir(t, 'sessionlog-search-');
  write(path.join(root, '.kbcontext'), 'project: beta\nprimary: projects/beta\n');
  write(path.join(root, 'projects/alpha/sessions.md'), ALPHA);
  write(path.join(root, 'projects/beta/sessions.md'), BETA);
  write(path.join(root, 'projects/beta/decisions/ADR-001-use-quaternion-storage.md'), ADR);
  // A saved report restates sessions; it is never a hit of its own.
  write(path.join(root, 'projects/beta/reports/2026-W18.md'), '---\ntitle: Week 2026-W18\ntype: report\n---\n\n## Days worked\n\nFound the wombat leak.\n');
  const mcp = await McpConnection.start(t, root);
  await mcp.ok('openSession', { agent: 'Codex', sessionId: 'Codex-20260409T120001Z-implement-auth', title: 'Implement OAuth login' });
  await mcp.ok('beginTurn', {
    requestId: 'req-20260409T120002Z-add-oauth-001',
    queryTitle: 'Add OAuth callback',
    queryText: 'Wire the OAuth callback into the router',
  });
  await mcp.ok('updateTurn', { response: 'Callback wired through the platypus adapter', tags: ['security'] });
  await mcp.ok('completeTurn', {});
  await mcp.ok('beginTurn', { requestId: 'req-20260409T120003Z-add-oauth-002', queryTitle: 'Refresh OAuth tokens', queryText: 'Rotate refresh tokens on use' });
  await mcp.ok('failTurn', { errorMessage: 'The platypus adapter has no refresh hook' });
  return { root, mcp };
}

function cliSearch(root: string, params: Record<string, unknown>): Hit[] {
  const args = ['search', String(params.query ?? '')];
  for (const [key, value] of Object.entries(params)) {
    if (key === 'query') continue;
    const flag = key === 'tags' ? 'tag' : key === 'entryTags' ? 'entry-tag' : key;
    for (const item of Array.isArray(value) ? value : [value]) args.push(`--${flag}`, String(item));
  }
  const result = cli([...args, '--json'], { cwd: root });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Hit[];
}

async function mcpSearch(mcp: McpConnection, params: Record<string, unknown>): Promise<Hit[]> {
  return (await mcp.ok('search', params)).hits as Hit[];
}

const where = (hit: Hit | undefined) => (hit ? `${hit.path}#${hit.heading}` : 'nothing');

/** Each query, what must come first (path#heading), and optionally everything that must (not) come back. */
const CASES: { name: string; params: Record<string, unknown>; first: string; all?: string[]; none?: string[] }[] = [
  { name: 'stemming: authenticate finds authentication', params: { query: 'authenticate' }, first: 'projects/alpha/sessions.md#2026-03-01 09:00 UTC' },
  {
    name: 'any word may match: JWT authentication approach',
    params: { query: 'JWT authentication approach' },
    first: 'projects/alpha/sessions.md#2026-03-01 09:00 UTC',
  },
  { name: 'prefix: the word being typed', params: { query: 'gatew' }, first: 'projects/alpha/sessions.md#2026-03-01 09:00 UTC' },
  { name: 'one typo in a longer word', params: { query: 'invalidaton' }, first: 'projects/alpha/sessions.md#2026-03-05 10:00 UTC' },
  {
    name: 'phrase: the words together',
    params: { query: '"token rotation"' },
    first: 'projects/beta/sessions.md#2026-02-01 09:00 UTC',
    none: ['projects/alpha/sessions.md#2026-03-12 12:00 UTC'],
  },
  {
    name: 'exclusion: -word',
    params: { query: 'deploy -legacy' },
    first: 'projects/alpha/sessions.md#2026-03-10 11:00 UTC',
    none: ['projects/beta/sessions.md#2026-04-01 10:00 UTC'],
  },
  {
    name: 'boost: a title above the text',
    params: { query: 'hardening' },
    first: 'projects/alpha/sessions.md#Login hardening',
    all: ['projects/alpha/sessions.md#2026-03-14 08:00 UTC'],
  },
  { name: 'boost: a tag above the text', params: { query: 'perf cookie' }, first: 'projects/alpha/sessions.md#2026-03-14 08:00 UTC' },
  {
    name: "filter tags: the session's own",
    params: { query: 'tokens', tags: ['auth'] },
    first: 'projects/beta/sessions.md#2026-02-01 09:00 UTC',
    all: ['projects/alpha/sessions.md#2026-03-01 09:00 UTC'],
    none: ['projects/alpha/sessions.md#2026-03-12 12:00 UTC'],
  },
  {
    name: "filter entryTags: the file's",
    params: { query: 'tokens', entryTags: ['beta'] },
    first: 'projects/beta/sessions.md#2026-02-01 09:00 UTC',
    none: ['projects/alpha/sessions.md#2026-03-01 09:00 UTC'],
  },
  {
    name: 'filter since/until',
    params: { query: '', since: '2026-03-11', until: '2026-03-31', kind: 'session' },
    first: 'projects/alpha/sessions.md#2026-03-14 08:00 UTC',
    all: ['projects/alpha/sessions.md#2026-03-12 12:00 UTC'],
    none: ['projects/alpha/sessions.md#2026-03-10 11:00 UTC', 'projects/beta/sessions.md#2026-04-01 10:00 UTC'],
  },
  {
    name: 'filter project',
    params: { query: 'rotation', project: 'beta' },
    first: 'projects/beta/sessions.md#2026-02-01 09:00 UTC',
    none: ['projects/alpha/sessions.md#2026-03-12 12:00 UTC'],
  },
  {
    name: 'filter agent and kind turn',
    // Both turns say platypus; the callback is the first turn's alone (equal scores would go to the newer turn).
    params: { query: 'platypus callback', agent: 'Codex', kind: 'turn' },
    first: 'projects/beta/agent-sessions/Codex-20260409T120001Z-implement-auth.md#Turn 1 · Add OAuth callback',
  },
  {
    name: 'filter status of a turn',
    params: { query: 'platypus', status: 'failed' },
    first: 'projects/beta/agent-sessions/Codex-20260409T120001Z-implement-auth.md#Turn 2 · Refresh OAuth tokens',
  },
  {
    name: 'filter kind decision and its status',
    params: { query: 'quaternions', kind: 'decision', status: 'accepted' },
    first: 'projects/beta/decisions/ADR-001-use-quaternion-storage.md#ADR-001: Use quaternion storage',
  },
];

function check(hits: Hit[], expected: (typeof CASES)[number], via: string): void {
  const found = hits.map(where);
  assert.equal(where(hits[0]), expected.first, `${via}, ${expected.name}: got ${JSON.stringify(found)}`);
  for (const wanted of expected.all ?? []) assert.ok(found.includes(wanted), `${via}, ${expected.name}: ${wanted} missing from ${JSON.stringify(found)}`);
  for (const unwanted of expected.none ?? []) {
    assert.ok(!found.includes(unwanted), `${via}, ${expected.name}: ${unwanted} should not be in ${JSON.stringify(found)}`);
  }
}

describe('search relevance, through the CLI and the MCP server', () => {
  it('ranks and filters the fixed corpus as each query expects', async (t) => {
    const { root, mcp } = await corpus(t);
    for (const expected of CASES) {
      check(cliSearch(root, expected.params), expected, 'CLI');
      check(await mcpSearch(mcp, expected.params), expected, 'MCP');
    }
  });

  it("gives locators and a highlighted snippet, with a turn's own tags, never the whole section", async (t) => {
    const { root, mcp } = await corpus(t);
    const [turn] = await mcpSearch(mcp, { query: 'platypus callback', kind: 'turn' });
    assert.equal(turn!.turnId, 'req-20260409T120002Z-add-oauth-001');
    assert.equal(turn!.agent, 'Codex');
    assert.deepEqual(turn!.tags, ['security']);
    const [hit] = cliSearch(root, { query: 'authentication' });
    assert.equal(hit!.line, 11);
    assert.ok(hit!.highlights.length >= 2);
    assert.deepEqual(
      hit!.highlights.map(([start, end]) => hit!.snippet.slice(start, end)),
      ['authentication', 'authentication'],
    );
    assert.ok(!hit!.snippet.includes('#auth'), 'the tag line is no text');
    const lines = cli(['search', 'authentication', '--jsonl'], { cwd: root }).stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((line) => (JSON.parse(line) as Hit).path),
      cliSearch(root, { query: 'authentication' }).map((h) => h.path),
    );
    const text = cli(['search', 'authentication'], { cwd: root }).stdout;
    assert.match(text, /^projects\/alpha\/sessions\.md:11 {2}session {2}2026-03-01 09:00 UTC {2}#auth\n {4}Implemented JWT \*\*authentication\*\*/);
  });

  it('names a bad filter in the words of the front end that received it', async (t) => {
    const { root, mcp } = await corpus(t);
    const since = cli(['search', 'x', '--since', 'last-week'], { cwd: root });
    assert.equal(since.status, 2);
    assert.match(since.stderr, /--since: 'last-week' is neither a date nor a span.*12h, 7d or 2w/);
    assert.match(
      cli(['search', 'x', '--kind', 'note'], { cwd: root }).stderr,
      /--kind: 'note' is not a kind of result\. Use one of: session, turn, decision\./,
    );
    assert.match(cli(['search', 'x', '--json', '--jsonl'], { cwd: root }).stderr, /--json or --jsonl, not both/);
    const error = await mcp.fails('search', { query: 'x', until: 'tomorrow' });
    assert.equal(error.code, 'invalid_parameter');
    assert.match(error.message, /^until: 'tomorrow'/);
  });
});

describe('search freshness', () => {
  it('finds what a plain append wrote at the very next query, in a new process and in a running server', async (t) => {
    const { root, mcp } = await corpus(t);
    assert.deepEqual(cliSearch(root, { query: 'wombat' }), [], 'only the saved report says wombat');
    assert.deepEqual(await mcpSearch(mcp, { query: 'wombat' }), []);
    fs.appendFileSync(path.join(root, 'projects/alpha/sessions.md'), '\n## 2026-05-01 10:00 UTC\n\nFound the wombat leak.\n');
    assert.equal(where(cliSearch(root, { query: 'wombat' })[0]), 'projects/alpha/sessions.md#2026-05-01 10:00 UTC');
    assert.equal(where((await mcpSearch(mcp, { query: 'wombat' }))[0]), 'projects/alpha/sessions.md#2026-05-01 10:00 UTC');
    fs.rmSync(path.join(root, 'projects/beta/decisions/ADR-001-use-quaternion-storage.md'));
    assert.deepEqual(cliSearch(root, { query: 'quaternions' }), [], 'a deleted file leaves the index');
    assert.deepEqual(await mcpSearch(mcp, { query: 'quaternions' }), []);
  });

  it('reads again a folder whose time changed, or changed too recently to trust, and reuses one that did not', async (t) => {
    const { root } = await corpus(t);
    const alpha = path.join(root, 'projects/alpha');
    const listings = () =>
      (JSON.parse(fs.readFileSync(path.join(root, '.sessionlog/search/folders.json'), 'utf8')) as { folders: Record<string, unknown> }).folders;
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(alpha, hourAgo, hourAgo);
    cliSearch(root, { query: 'authentication' });
    assert.ok(listings()['projects/alpha'], 'an unchanged folder is listed once and reused');
    // A file added: the folder's time moves, so the folder is read again, and, changed just now, not kept.
    write(path.join(alpha, 'notes.md'), '## 2026-05-01 10:00 UTC\n\nFed the axolotl.\n');
    assert.equal(where(cliSearch(root, { query: 'axolotl' })[0]), 'projects/alpha/notes.md#2026-05-01 10:00 UTC');
    assert.equal(listings()['projects/alpha'], undefined, 'a folder changed a moment ago is not trusted');
    // Another file within the same tick of the folder's clock (its time set back to what it was): still found.
    const { mtime } = fs.statSync(alpha);
    write(path.join(alpha, 'more.md'), '## 2026-05-02 10:00 UTC\n\nWalked the capybara.\n');
    fs.utimesSync(alpha, mtime, mtime);
    assert.equal(where(cliSearch(root, { query: 'capybara' })[0]), 'projects/alpha/more.md#2026-05-02 10:00 UTC');
    // A listed folder removed: its sessions go with it.
    fs.utimesSync(alpha, hourAgo, hourAgo);
    cliSearch(root, { query: 'capybara' });
    assert.ok(listings()['projects/alpha']);
    fs.rmSync(alpha, { recursive: true });
    assert.deepEqual(cliSearch(root, { query: 'capybara' }), []);
    assert.equal(listings()['projects/alpha'], undefined);
  });

  it('finds in a running server, at its very next query, what other processes wrote: appends, new folders, removals', async (t) => {
    const { root, mcp } = await corpus(t);
    assert.deepEqual(await mcpSearch(mcp, { query: 'wombat' }), []);
    for (let i = 0; i < 3; i++) {
      fs.appendFileSync(path.join(root, 'projects/alpha/sessions.md'), `\n## 2026-05-0${i + 1} 10:00 UTC\n\nFound wombat leak ${i}.\n`);
      assert.equal((await mcpSearch(mcp, { query: 'wombat' })).length, i + 1, `append ${i}`);
    }
    write(path.join(root, 'projects/gamma/deep/sessions.md'), BETA.replace('Reviewed the legacy deploy pipeline.', 'Taught the okapi to deploy.'));
    assert.equal(where((await mcpSearch(mcp, { query: 'okapi' }))[0]), 'projects/gamma/deep/sessions.md#2026-04-01 10:00 UTC');
    fs.appendFileSync(path.join(root, 'projects/gamma/deep/sessions.md'), '\n## 2026-06-01 10:00 UTC\n\nThe okapi returned.\n');
    assert.equal((await mcpSearch(mcp, { query: 'okapi' })).length, 2, 'an append in a folder made after the server started');
    fs.rmSync(path.join(root, 'projects/gamma'), { recursive: true });
    assert.deepEqual(await mcpSearch(mcp, { query: 'okapi' }), [], 'a removed folder leaves the index');
    write(path.join(root, 'projects/gamma/deep/sessions.md'), BETA.replace('Reviewed the legacy deploy pipeline.', 'The okapi is back.'));
    assert.equal((await mcpSearch(mcp, { query: 'okapi' })).length, 1, 'a folder made again under the same name');
  });

  it('merges many changes into a new base, and every session stays found', async (t) => {
    const { root } = await corpus(t);
    const header = () => JSON.parse(fs.readFileSync(path.join(root, '.sessionlog/search/base.json'), 'utf8')) as { stamp: string; count: number };
    assert.equal(where(cliSearch(root, { query: 'invalidation' })[0]), 'projects/alpha/sessions.md#2026-03-05 10:00 UTC');
    const before = header();
    // More changed sessions than the changes file keeps beside a base: the next query writes a new base.
    const sections = Array.from(
      { length: 1_200 },
      (_, i) => `## 2026-07-01 ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} UTC\n\nCounted quokka ${i}.\n`,
    );
    fs.appendFileSync(path.join(root, 'projects/beta/sessions.md'), `\n${sections.join('\n')}`);
    fs.rmSync(path.join(root, 'projects/beta/decisions/ADR-001-use-quaternion-storage.md'));
    assert.equal(cliSearch(root, { query: 'quokka', limit: 2000 }).length, 1_200);
    const after = header();
    assert.notEqual(after.stamp, before.stamp, 'a new base was written');
    assert.equal(after.count, before.count + 1_200 - 1, 'the removed record left the base');
    assert.equal(where(cliSearch(root, { query: 'invalidation' })[0]), 'projects/alpha/sessions.md#2026-03-05 10:00 UTC');
    assert.equal(where(cliSearch(root, { query: 'quokka 1199' })[0]), 'projects/beta/sessions.md#2026-07-01 19:59 UTC');
    assert.deepEqual(cliSearch(root, { query: 'quaternions' }), []);
    assert.equal(cliSearch(root, { query: 'platypus', kind: 'turn' }).length, 2, 'agent turns carried into the new base');
    // A filter that turns down all but the oldest few of 1,200 equal matches still finds them, newest first.
    const oldest = cliSearch(root, { query: 'quokka', until: '2026-07-01T00:09:59Z', limit: 20 });
    assert.deepEqual(
      oldest.map(where),
      Array.from({ length: 10 }, (_, i) => `projects/beta/sessions.md#2026-07-01 00:0${9 - i} UTC`),
    );
  });

  it('finds what git pull brought at the very next query', (t) => {
    const origin = tempDir(t, 'sessionlog-search-origin-');
    gitInit(origin);
    write(path.join(origin, '.kbcontext'), 'project: alpha\nprimary: projects/alpha\n');
    write(path.join(origin, 'projects/alpha/sessions.md'), ALPHA);
    commitAll(origin, 'alpha');
    const clone = path.join(tempDir(t, 'sessionlog-search-clone-'), 'kb');
    git(os.tmpdir(), ['clone', '-q', origin, clone]);
    assert.equal(cli(['init', '--project', 'alpha', '--force'], { cwd: clone }).status, 0);
    assert.deepEqual(cliSearch(clone, { query: 'narwhal' }), []);
    assert.ok(fs.existsSync(path.join(clone, '.sessionlog/search/base.json')));
    fs.appendFileSync(path.join(origin, 'projects/alpha/sessions.md'), '\n## 2026-06-01 10:00 UTC\n\nMet the narwhal team.\n');
    commitAll(origin, 'narwhal');
    git(clone, ['pull', '-q', '--no-rebase']);
    assert.equal(where(cliSearch(clone, { query: 'narwhal' })[0]), 'projects/alpha/sessions.md#2026-06-01 10:00 UTC');
    assert.ok(!git(clone, ['status', '--porcelain']).includes('.sessionlog'), 'the index is ignored by git');
  });

  it('rebuilds a deleted or corrupted index without a word, and never fails a query for it', async (t) => {
    const { root } = await corpus(t);
    const first = cliSearch(root, { query: 'authentication' });
    const dir = path.join(root, '.sessionlog/search');
    fs.rmSync(path.join(root, '.sessionlog'), { recursive: true });
    // A part of the current base (an older one may linger for a minute beside it).
    const part = (suffix: string) => {
      const { stamp } = JSON.parse(fs.readFileSync(path.join(dir, 'base.json'), 'utf8')) as { stamp: string };
      return path.join(dir, `${stamp}${suffix}`);
    };
    for (const damage of [
      () => undefined,
      () => write(path.join(dir, 'base.json'), '{"version":3,"stamp":"x","count":5,"totals":[1,1,1],"files":[["a.md",2,3,0,5]]}'),
      () => write(path.join(dir, 'base.json'), '\u0000garbage'),
      () => write(path.join(dir, 'changes.json'), '{"version":3,"base":'),
      () => write(path.join(dir, 'folders.json'), '{"version":1,"folders":{"projects":[1,'),
      () => write(path.join(dir, 'folders.json'), '{"version":1,"folders":{"projects":[1,["alpha"],"beta"]}}'),
      () => fs.truncateSync(part('.postings'), 8),
      () => fs.rmSync(part('.terms')),
      () => fs.truncateSync(part('.vocabulary'), 2),
      () => write(part('.docs'), '{"id":'),
      // Cut at a line's end: every line left reads, but fewer than the columns count.
      () => fs.truncateSync(part('.docs'), fs.readFileSync(part('.docs'), 'utf8').indexOf('\n') + 1),
      () => fs.truncateSync(part('.docs'), 40),
      () => fs.truncateSync(part('.columns'), 3),
    ]) {
      damage();
      const result = cli(['search', 'authentication', '--json'], { cwd: root });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.deepEqual(JSON.parse(result.stdout), first);
      assert.doesNotThrow(() => JSON.parse(fs.readFileSync(path.join(dir, 'base.json'), 'utf8')));
    }
  });

  it('writes nothing through a .sessionlog link that leads out of the knowledge base', async (t) => {
    const { root } = await corpus(t);
    const outside = tempDir(t, 'sessionlog-search-outside-');
    fs.symlinkSync(outside, path.join(root, '.sessionlog'));
    // Folders old enough to have their listings kept: folders.json is written too.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const folder of ['', 'projects', 'projects/alpha', 'projects/beta']) fs.utimesSync(path.join(root, folder), hourAgo, hourAgo);
    assert.equal(where(cliSearch(root, { query: 'authentication' })[0]), 'projects/alpha/sessions.md#2026-03-01 09:00 UTC');
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('keeps every concurrent log and a readable index while searches run', async (t) => {
    const { root } = await corpus(t);
    const words = ['aardvark', 'bison', 'caracal', 'dingo', 'echidna', 'fossa'];
    const runs = words.flatMap((word) => [cliAsync(['log', '-m', `Studied the ${word}`], { cwd: root }), cliAsync(['search', word, '--json'], { cwd: root })]);
    for (const result of await Promise.all(runs)) assert.equal(result.status, 0, result.stderr);
    for (const word of words) assert.equal(cliSearch(root, { query: word }).length, 1, word);
    assert.doesNotThrow(() => JSON.parse(fs.readFileSync(path.join(root, '.sessionlog/search/base.json'), 'utf8')));
  });
});
