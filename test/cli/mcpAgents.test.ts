/**
 * The MCP server as real agents use it, through the official SDK client over stdio spawning
 * the bundled CLI: one process per call, several sessions on one connection, ids generated at
 * the same instant, turns abandoned by a stopped agent, and bounded reads of long sessions.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { tempKb } from '../support/files';
import { McpConnection } from '../support/mcp';

const SESSION_ID = /^[A-Z][A-Za-z0-9]*-\d{8}T\d{6}Z-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const REQUEST_ID = /^req-\d{8}T\d{6}Z-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** One call in a process of its own, as a hook makes it: connect, call, disconnect. */
async function once(t: TestContext, root: string, op: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const mcp = await McpConnection.start(t, root);
  try {
    return await mcp.ok(op, args);
  } finally {
    await mcp.close();
  }
}

interface TurnView {
  requestId: string;
  status: string;
  errorCode?: string;
  errorMessage?: string;
  dialog: { content: string }[];
  queryText: string;
}

describe('sessionlog mcp: calls that work from anywhere', () => {
  it('runs the whole lifecycle with one process per call and explicit ids', async (t) => {
    const { root, sessionsDir } = tempKb(t);
    const sessionId = 'ClaudeCode-20260409T120001Z-hooks';
    const turn = 'req-20260409T120002Z-first';
    await once(t, root, 'bootstrap', {});
    assert.equal((await once(t, root, 'openSession', { agent: 'ClaudeCode', sessionId, title: 'Hooks' })).sessionId, sessionId);
    assert.equal((await once(t, root, 'beginTurn', { sessionId, requestId: turn, queryTitle: 'First prompt' })).turnRequestId, turn);
    await once(t, root, 'updateTurn', { sessionId, turnRequestId: turn, response: 'so far', tags: ['hooks'] });
    await once(t, root, 'appendDialog', { sessionId, turnRequestId: turn, dialogItems: [{ role: 'user', content: 'Do it', category: 'observation' }] });
    await once(t, root, 'appendActions', { sessionId, turnRequestId: turn, actions: [{ description: 'Edited a.ts', type: 'edit', filePath: 'a.ts' }] });
    await once(t, root, 'completeTurn', { sessionId, turnRequestId: turn, response: 'Done' });
    const second = await once(t, root, 'beginTurn', { sessionId, queryTitle: 'Second prompt' });
    await once(t, root, 'failTurn', { sessionId, requestId: second.turnRequestId, errorMessage: 'Blocked', errorCode: 'blocked' });
    await once(t, root, 'closeSession', { sessionId, summary: 'All done' });

    const session = await once(t, root, 'getSession', { sessionId, order: 'oldest' });
    assert.equal(session.status, 'completed');
    assert.deepEqual(session.filesModified, ['a.ts']);
    assert.deepEqual(session.tags, ['hooks']);
    const turns = session.turns as TurnView[];
    assert.deepEqual(
      turns.map((item) => [item.requestId, item.status]),
      [
        [turn, 'completed'],
        [second.turnRequestId, 'failed'],
      ],
    );
    assert.equal(turns[0]!.dialog[0]!.content, 'Do it');
    assert.equal(session.closingNote, 'All done');
    assert.deepEqual(fs.readdirSync(sessionsDir), [`${sessionId}.md`]);
  });

  it('refuses a call without sessionId when two sessions are open on one connection, naming them', async (t) => {
    const { root } = tempKb(t);
    const mcp = await McpConnection.start(t, root);
    const parent = await mcp.ok('openSession', { agent: 'ClaudeCode', title: 'Parent work' });
    const child = await mcp.ok('openSession', { agent: 'ClaudeCode', title: 'Subagent work', parentSessionId: parent.sessionId });
    const refused = await mcp.fails('beginTurn', { queryTitle: 'Whose turn?' });
    assert.equal(refused.code, 'session_id_required');
    assert.match(refused.message, new RegExp(`${String(parent.sessionId)}.*${String(child.sessionId)}`));
    assert.deepEqual(refused.details.openSessions, [parent.sessionId, child.sessionId]);
    assert.ok(refused.hint);

    const parentTurn = await mcp.ok('beginTurn', { sessionId: parent.sessionId, queryTitle: 'Parent turn' });
    const childTurn = await mcp.ok('beginTurn', { sessionId: child.sessionId, queryTitle: 'Child turn' });
    await mcp.ok('completeTurn', { sessionId: child.sessionId });
    const childSession = await mcp.ok('getSession', { sessionId: child.sessionId });
    assert.equal(childSession.parentSessionId, parent.sessionId);
    assert.deepEqual(
      (childSession.turns as TurnView[]).map((turn) => [turn.requestId, turn.status]),
      [[childTurn.turnRequestId, 'completed']],
    );
    const parentSession = await mcp.ok('getSession', { sessionId: parent.sessionId });
    assert.deepEqual(
      (parentSession.turns as TurnView[]).map((turn) => [turn.requestId, turn.status]),
      [[parentTurn.turnRequestId, 'in_progress']],
    );

    await mcp.ok('closeSession', { sessionId: child.sessionId });
    assert.equal((await mcp.ok('completeTurn')).turnRequestId, parentTurn.turnRequestId, 'with one session open again, it is the default');
  });

  it('generates ids that never collide: same-titled sessions at once, and the same turn title twice in a second', async (t) => {
    const { root } = tempKb(t);
    const connections = await Promise.all([0, 1, 2, 3].map(() => McpConnection.start(t, root)));
    const opened = await Promise.all(connections.map((mcp) => mcp.ok('openSession', { agent: 'Codex', title: 'Same title' })));
    const ids = opened.map((result) => String(result.sessionId));
    assert.equal(new Set(ids).size, 4, `four sessions: ${ids.join(', ')}`);
    for (const id of ids) assert.match(id, SESSION_ID);

    const mcp = connections[0]!;
    const turns: string[] = [];
    for (let i = 0; i < 3; i++) {
      turns.push(String((await mcp.ok('beginTurn', { queryTitle: 'Same turn' })).turnRequestId));
      await mcp.ok('completeTurn');
    }
    assert.equal(new Set(turns).size, 3, `three turns: ${turns.join(', ')}`);
    for (const id of turns) assert.match(id, REQUEST_ID);
  });
});

describe('sessionlog mcp: abandoned turns', () => {
  it('a beginTurn supersedes a turn left in progress, and closeSession ends one', async (t) => {
    const { root, sessionsDir } = tempKb(t);
    const sessionId = 'ClaudeCode-20260409T120001Z-ctrl-c';
    await once(t, root, 'openSession', { agent: 'ClaudeCode', sessionId, title: 'Interrupted' });
    await once(t, root, 'beginTurn', { sessionId, requestId: 'req-20260409T120002Z-abandoned', queryTitle: 'Left behind' });
    const next = await once(t, root, 'beginTurn', { sessionId, requestId: 'req-20260409T120003Z-next', queryTitle: 'Next prompt' });
    assert.equal(next.superseded, 'req-20260409T120002Z-abandoned');
    const closed = await once(t, root, 'closeSession', { sessionId });
    assert.equal(closed.closedTurn, 'req-20260409T120003Z-next');

    const session = await once(t, root, 'getSession', { sessionId, order: 'oldest' });
    const [first, second] = session.turns as TurnView[];
    assert.equal(first!.status, 'failed');
    assert.equal(first!.errorCode, 'superseded');
    assert.match(first!.errorMessage!, /req-20260409T120003Z-next/);
    assert.equal(second!.status, 'failed');
    assert.equal(second!.errorCode, 'session_closed');
    assert.equal(session.status, 'completed');
    const markdown = fs.readFileSync(path.join(sessionsDir, `${sessionId}.md`), 'utf8');
    assert.match(markdown, /### Failed · \S+\n\n\*\*Error code:\*\* `superseded`\n\n\*\*Error\*\*\n\n> Superseded by turn req-20260409T120003Z-next/);
    assert.match(markdown, /\*\*Error code:\*\* `session_closed`[\s\S]*## Session closed/);
  });
});

describe('sessionlog mcp: bounded reads', () => {
  it('pages a 100-turn session and keeps every answer within its token budget', async (t) => {
    const { root } = tempKb(t);
    const mcp = await McpConnection.start(t, root);
    const { sessionId } = await mcp.ok('openSession', { agent: 'Codex', title: 'Long session' });
    const bulk = `${'lorem ipsum dolor sit amet '.repeat(30)}\n`.repeat(4);
    for (let i = 1; i <= 100; i++) {
      await mcp.ok('beginTurn', {
        requestId: `req-20260409T12${String(Math.floor(i / 60)).padStart(2, '0')}${String(i % 60).padStart(2, '0')}Z-turn-${i}`,
        queryTitle: `Turn ${i}`,
        queryText: bulk,
      });
      await mcp.ok('appendDialog', { dialogItems: [{ role: 'model', content: `${i}: ${bulk}`, category: 'reasoning' }] });
      await mcp.ok('completeTurn', { response: `Answer ${i}: ${bulk}` });
    }
    const size = (result: Record<string, unknown>): number => JSON.stringify(result).length;

    const first = await mcp.ok('getSession', { sessionId });
    assert.equal(first.turnCount, 100);
    const shown = first.turns as TurnView[];
    assert.ok(shown.length > 0 && shown.length <= 20);
    assert.equal(shown[0]!.requestId.endsWith('turn-100'), true, 'newest first by default');
    assert.ok(size(first) <= 20_000 * 4, `the default answer is within 20k tokens (${size(first)} characters)`);
    assert.equal(first.truncated, true);
    assert.equal(first.nextOffset, shown.length);
    assert.match(String(first.note), new RegExp(`offset: ${shown.length}`));

    const seen = new Set<string>();
    let offset = 0;
    for (let page = 0; page < 100 && offset < 100; page++) {
      const answer = await mcp.ok('getSession', { sessionId, order: 'oldest', limit: 15, offset, maxTokens: 8000 });
      assert.ok(size(answer) <= 8000 * 4, `page at ${offset} within 8000 tokens (${size(answer)} characters)`);
      for (const turn of answer.turns as TurnView[]) seen.add(turn.requestId);
      offset = typeof answer.nextOffset === 'number' ? answer.nextOffset : 100;
    }
    assert.equal(seen.size, 100, 'paging reads every turn once');

    const tight = await mcp.ok('getSession', { sessionId, limit: 1, maxTokens: 1000 });
    const [clipped] = tight.turns as TurnView[];
    assert.ok(size(tight) <= 1000 * 4, `one big turn is clipped to fit (${size(tight)} characters)`);
    assert.match(clipped!.queryText, /\[clipped: \d+ more characters\]$/);
    assert.match(String(tight.note), /clipped/);
  });
});

describe('sessionlog mcp: history filters', () => {
  /** Three sessions of project demo (one from 2020), one of project other; a turn left in progress. */
  async function histories(t: TestContext): Promise<{ mcp: McpConnection; ids: Record<string, string> }> {
    const { root, sessionsDir } = tempKb(t);
    const other = path.join(root, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, '.kbcontext'), 'project: other\nprimary: projects/other\n');
    const mcp = await McpConnection.start(t, root, ['--stale-minutes', '0']);
    const old = 'Codex-20200101T000000Z-old-work';
    await mcp.ok('openSession', { agent: 'Codex', sessionId: old, title: 'Old work', model: 'gpt-4' });
    await mcp.ok('beginTurn', { sessionId: old, queryTitle: 'Legacy' });
    await mcp.ok('updateTurn', { sessionId: old, tags: ['legacy'] });
    await mcp.ok('completeTurn', { sessionId: old });
    await mcp.ok('closeSession', { sessionId: old });
    // As written back then: last changed in 2020 (same length, so the padded frontmatter stays valid).
    const file = path.join(sessionsDir, `${old}.md`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^updated: \S+/m, "updated: '2020-01-01T00:05:00'"));

    const jwt = String((await mcp.ok('openSession', { agent: 'ClaudeCode', title: 'JWT refresh tokens', model: 'claude-opus-4' })).sessionId);
    await mcp.ok('beginTurn', { sessionId: jwt, queryTitle: 'Hash the tokens' });
    await mcp.ok('updateTurn', { sessionId: jwt, tags: ['security'] });
    await mcp.ok('appendDialog', { sessionId: jwt, dialogItems: [{ role: 'model', content: 'Use bcrypt for the stored tokens', category: 'decision' }] });

    const docs = String((await mcp.ok('openSession', { agent: 'Codex', title: 'Docs', model: 'gpt-5.4' })).sessionId);
    await mcp.ok('closeSession', { sessionId: docs });

    const elsewhere = await McpConnection.start(t, root, ['--cwd', other]);
    const foreign = String((await elsewhere.ok('openSession', { agent: 'Codex', title: 'Another project' })).sessionId);
    return { mcp, ids: { old, jwt, docs, foreign } };
  }

  it('narrows by since, until, status, tag, text, model and scope', async (t) => {
    const { mcp, ids } = await histories(t);
    const list = async (filters: Record<string, unknown>): Promise<string[]> => {
      const answer = await mcp.ok('queryHistory', { limit: 50, ...filters });
      const sessions = answer.sessions as { sessionId: string }[];
      assert.equal(answer.totalCount, sessions.length);
      return sessions.map((session) => session.sessionId).sort();
    };
    const sorted = (...names: string[]): string[] => names.map((name) => ids[name]!).sort();
    assert.deepEqual(await list({}), sorted('old', 'jwt', 'docs'));
    assert.deepEqual(await list({ since: '7d' }), sorted('jwt', 'docs'));
    assert.deepEqual(await list({ since: '2019-12-31' }), sorted('old', 'jwt', 'docs'));
    assert.deepEqual(await list({ until: '2021-01-01' }), sorted('old'));
    assert.deepEqual(await list({ until: '2020-01-01' }), sorted('old'), 'a date counts to its end');
    assert.deepEqual(await list({ since: '2020-01-01T00:10:00Z', until: '2021-01-01' }), []);
    assert.deepEqual(await list({ status: 'completed' }), sorted('old', 'docs'));
    assert.deepEqual(await list({ status: 'in_progress' }), sorted('jwt'));
    assert.deepEqual(await list({ status: 'stale' }), sorted('jwt'));
    assert.deepEqual(await list({ tag: '#Security' }), sorted('jwt'));
    assert.deepEqual(await list({ text: 'REFRESH' }), sorted('jwt'));
    assert.deepEqual(await list({ text: 'bcrypt stored' }), sorted('jwt'), 'text searches the turns too');
    assert.deepEqual(await list({ text: 'bcrypt nowhere' }), []);
    assert.deepEqual(await list({ model: 'GPT' }), sorted('old', 'docs'));
    assert.deepEqual(await list({ agent: 'Codex', model: 'gpt-5' }), sorted('docs'));
    assert.deepEqual(await list({ scope: 'all' }), sorted('old', 'jwt', 'docs', 'foreign'));
    assert.deepEqual(await list({ scope: 'all', text: 'another' }), sorted('foreign'));
    const paged = await mcp.ok('queryHistory', { status: 'completed', limit: 1, offset: 1 });
    assert.equal(paged.totalCount, 2);
    assert.deepEqual(
      (paged.sessions as { sessionId: string }[]).map((session) => session.sessionId),
      [ids.old],
      'newest first, then paged',
    );

    for (const [filters, field] of [
      [{ since: 'last week' }, 'since'],
      [{ until: '2026-13-45' }, 'until'],
      [{ status: 'open' }, 'status'],
      [{ scope: 'everything' }, 'scope'],
    ] as const) {
      const error = await mcp.fails('queryHistory', filters);
      assert.equal(error.code, 'invalid_parameter');
      assert.equal(error.details.field, field, JSON.stringify(error));
      assert.ok(error.hint);
    }
  });
});

describe('sessionlog mcp: what people have, agents get too', () => {
  /** A project with a logged session (decision, follow-ups, next hint), an ADR and an agent turn left in progress. */
  async function project(t: TestContext): Promise<{ mcp: McpConnection; root: string; sessionId: string }> {
    const { root } = tempKb(t);
    const mcp = await McpConnection.start(t, root);
    await mcp.ok('log', {
      message: 'Auth middleware done',
      tags: ['auth'],
      files: ['src/auth.ts'],
      decisions: [{ decision: 'Used jose for JWT', rationale: 'no native dependencies' }],
      followUps: ['Add refresh tokens', 'Rotate keys'],
      next: 'Start with src/auth/refresh.ts',
    });
    const { sessionId } = await mcp.ok('openSession', { agent: 'ClaudeCode', title: 'Refresh tokens' });
    await mcp.ok('beginTurn', { queryTitle: 'Left when the user pressed Ctrl+C' });
    return { mcp, root, sessionId: String(sessionId) };
  }

  it('resume gives the next hint, turns in progress, follow-ups and decisions, within its budget', async (t) => {
    const { mcp, sessionId } = await project(t);
    const adr = await mcp.ok('recordDecision', {
      title: 'Use JWT for authentication',
      decision: 'Issue short-lived JWTs',
      context: 'Stateless API',
      rationale: 'Scales out',
      alternatives: ['Server sessions'],
      consequences: ['Tokens must be rotated'],
      status: 'accepted',
    });
    assert.equal(adr.id, 'ADR-001');
    assert.equal((await mcp.ok('recordDecision', { title: 'Second', decision: 'Another' })).id, 'ADR-002');
    const listed = await mcp.ok('listDecisions', { limit: 1 });
    assert.equal(listed.totalCount, 2);
    assert.deepEqual(
      (listed.decisions as { id: string }[]).map((item) => item.id),
      ['ADR-002'],
    );

    const resume = await mcp.ok('resume', {});
    const text = String(resume.text);
    for (const part of [
      'Start with src/auth/refresh.ts',
      'Add refresh tokens',
      'Used jose for JWT',
      'ADR-001: Use JWT for authentication',
      sessionId,
      'Auth middleware done',
    ]) {
      assert.ok(text.includes(part), `resume mentions ${part}:\n${text}`);
    }
    assert.deepEqual(
      (resume.turnsInProgress as { sessionId: string }[]).map((turn) => turn.sessionId),
      [sessionId],
    );
    assert.equal(resume.truncated, false);

    await mcp.ok('log', { message: `A long session. ${'Lots of detail. '.repeat(600)}` });
    const small = await mcp.ok('resume', { maxTokens: 500 });
    assert.ok(String(small.text).length <= 2000, `within 500 tokens: ${String(small.text).length} characters`);
    assert.equal(small.truncated, true);
    assert.equal((await mcp.fails('resume', { maxTokens: 10 })).details.field, 'maxTokens');
  });

  it('lists follow-ups and marks one done (and open again), as the Follow-ups view does', async (t) => {
    const { mcp, root } = await project(t);
    const open = await mcp.ok('listFollowUps', {});
    assert.deepEqual(
      (open.followUps as { text: string }[]).map((item) => item.text),
      ['Add refresh tokens', 'Rotate keys'],
    );
    const done = await mcp.ok('markFollowUpDone', { text: 'Add refresh tokens' });
    assert.equal(done.done, true);
    assert.match(fs.readFileSync(path.join(root, 'projects/demo/sessions.md'), 'utf8'), /- \[x\] Add refresh tokens\n- \[ \] Rotate keys/);
    assert.deepEqual(
      ((await mcp.ok('listFollowUps', {})).followUps as { text: string }[]).map((item) => item.text),
      ['Rotate keys'],
    );
    assert.equal((await mcp.ok('listFollowUps', { all: true })).totalCount, 2);
    const again = await mcp.fails('markFollowUpDone', { text: 'Add refresh tokens' });
    assert.equal(again.code, 'invalid_parameter');
    assert.match(again.message, /already done/);
    const unknown = await mcp.fails('markFollowUpDone', { text: 'Write the docs' });
    assert.match(String(unknown.hint), /"Rotate keys"/);
    assert.equal((await mcp.ok('markFollowUpDone', { text: 'Add refresh tokens', done: false })).done, false);
    assert.equal((await mcp.ok('listFollowUps', {})).totalCount, 2);
  });

  it("reads the project's logged sessions, filtered and clipped", async (t) => {
    const { mcp } = await project(t);
    await mcp.ok('log', { message: `Second note ${'x'.repeat(3000)}`, tags: ['docs'] });
    const all = await mcp.ok('queryLoggedSessions', {});
    assert.equal(all.path, 'projects/demo/sessions.md');
    const sessions = all.sessions as { message: string; tags: string[]; line: number; followUps: unknown[] }[];
    assert.equal(sessions.length, 2);
    assert.match(sessions[0]!.message, /\[clipped: \d+ more characters\]$/);
    assert.equal(sessions[1]!.followUps.length, 2);
    assert.ok(sessions.every((session) => session.line > 0));
    const tagged = await mcp.ok('queryLoggedSessions', { tag: 'auth', since: '1d' });
    assert.deepEqual(
      (tagged.sessions as { tags: string[] }[]).map((session) => session.tags),
      [['auth']],
    );
    assert.equal((await mcp.ok('queryLoggedSessions', { text: 'middleware', until: '2020-01-01' })).totalCount, 0);
  });

  it("checks every tool's result against its outputSchema (the SDK client validates structuredContent)", async (t) => {
    const { mcp, sessionId } = await project(t);
    const { tools } = await mcp.client.listTools();
    const called = new Set<string>(['log', 'openSession', 'beginTurn']);
    const call = async (op: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
      called.add(op);
      const answer = await mcp.client.callTool({ name: `sessionlog_${op}`, arguments: args });
      assert.ok(!answer.isError, `${op}: ${JSON.stringify(answer.content)}`);
      assert.ok(answer.structuredContent, `${op} gives structuredContent`);
      return answer.structuredContent as Record<string, unknown>;
    };
    await call('bootstrap');
    await call('updateTurn', { sessionId, response: 'r', tags: ['x'] });
    await call('appendDialog', { sessionId, dialogItems: [{ role: 'model', content: 'c', category: 'reasoning' }] });
    await call('appendActions', { sessionId, actions: [{ description: 'd', type: 'edit', filePath: 'a.ts' }] });
    await call('completeTurn', { sessionId });
    await call('beginTurn', { sessionId, queryTitle: 'Two' });
    await call('failTurn', { sessionId, errorMessage: 'blocked', errorCode: 'blocked' });
    await call('queryHistory', { status: 'in_progress' });
    await call('getSession', { sessionId });
    await call('search', { query: 'middleware' });
    await call('resume');
    await call('recordDecision', { title: 'T', decision: 'D' });
    await call('listDecisions');
    await call('listFollowUps');
    await call('markFollowUpDone', { text: 'Rotate keys' });
    await call('queryLoggedSessions');
    await call('closeSession', { sessionId, summary: 'done' });
    assert.deepEqual([...called].sort(), tools.map((tool) => tool.name.slice('sessionlog_'.length)).sort(), 'every tool was called');
  });
});

describe('sessionlog mcp: resources and prompts', () => {
  it('lists and reads the session files, notifies subscribers of changes, and refuses other paths', async (t) => {
    const { root } = tempKb(t);
    const mcp = await McpConnection.start(t, root);
    await mcp.ok('log', { message: 'A logged session', next: 'Pick up the parser' });
    const { sessionId } = await mcp.ok('openSession', { agent: 'Codex', title: 'Parser work' });
    const { resources } = await mcp.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    const sessionUri = `sessionlog://kb/projects/demo/agent-sessions/${String(sessionId)}.md`;
    assert.deepEqual(uris, ['sessionlog://kb/projects/demo/sessions.md', sessionUri]);
    assert.equal(resources[1]!.title, 'Parser work');
    assert.equal(resources[1]!.mimeType, 'text/markdown');
    const read = await mcp.client.readResource({ uri: sessionUri });
    assert.match(String((read.contents[0] as { text: string }).text), /^---\ntype: agent-session/);

    const updates: string[] = [];
    const { ResourceUpdatedNotificationSchema } = await import('@modelcontextprotocol/sdk/types.js');
    mcp.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updates.push(notification.params.uri);
    });
    await mcp.client.subscribeResource({ uri: sessionUri });
    await mcp.ok('beginTurn', { queryTitle: 'Tokenizer' });
    const waitFor = async (what: string, test: () => boolean): Promise<void> => {
      for (let i = 0; i < 100 && !test(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(test(), what);
    };
    await waitFor('an update after its own write', () => updates.includes(sessionUri));
    updates.length = 0;
    const other = await McpConnection.start(t, root);
    await other.ok('appendDialog', { sessionId, dialogItems: [{ role: 'model', content: 'from another process', category: 'observation' }] });
    await waitFor('an update after another process wrote', () => updates.includes(sessionUri));

    for (const uri of ['sessionlog://kb/.kbcontext', 'sessionlog://kb/../../etc/passwd', 'file:///etc/passwd']) {
      await assert.rejects(mcp.client.readResource({ uri }), /Resource not found/);
    }
  });

  it('offers the resume prompt', async (t) => {
    const { root } = tempKb(t);
    const mcp = await McpConnection.start(t, root);
    await mcp.ok('log', { message: 'Parser half done', next: 'Pick up the tokenizer', followUps: ['Add tests'] });
    const { prompts } = await mcp.client.listPrompts();
    assert.deepEqual(
      prompts.map((prompt) => prompt.name),
      ['resume'],
    );
    const prompt = await mcp.client.getPrompt({ name: 'resume', arguments: { maxTokens: '2000' } });
    const message = prompt.messages[0]!;
    assert.equal(message.role, 'user');
    const text = (message.content as { text: string }).text;
    assert.match(text, /Pick up the tokenizer/);
    assert.match(text, /Add tests/);
    await assert.rejects(mcp.client.getPrompt({ name: 'nothing' }), /Unknown prompt/);
  });
});
