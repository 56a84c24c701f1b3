/**
 * The MCP server end to end: `node dist/cli.js mcp` spawned in a temp knowledge base and
 * driven by the official SDK's client over stdio, through the protocol's lifecycle, every error
 * code, paging, immutability, stale turns and concurrent writers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { tempKb } from '../support/files';
import { McpConnection } from '../support/mcp';

const SESSION = 'Codex-20260409T120001Z-implement-auth';
const TURN = 'req-20260409T120002Z-add-jwt-001';

const OPEN = { agent: 'Codex', sessionId: SESSION, title: 'Implement JWT authentication', model: 'gpt-5.4' };
const BEGIN = { requestId: TURN, queryTitle: 'Add JWT authentication', queryText: 'Implement JWT token generation and validation for the API' };
const UPDATE = {
  response: 'Created TokenService and JwtValidator classes',
  interpretation: 'User wants JWT authentication with token generation and validation',
  tokenCount: 1250,
  tags: ['feature', 'security', 'FR-AUTH-001'],
  contextList: ['src/Services/TokenService.cs', 'src/Services/JwtValidator.cs'],
};
const DIALOG = {
  dialogItems: [
    { timestamp: '2026-04-09T12:00:04Z', role: 'model', content: 'Analyzing authentication requirements and existing patterns...', category: 'reasoning' },
    {
      timestamp: '2026-04-09T12:00:05Z',
      role: 'model',
      category: 'decision',
      content:
        'Decision: Use HS256 for JWT signing.\nRationale: Symmetric key simplifies key management for this internal service.\n' +
        'Alternatives: RS256 adds key distribution complexity without benefit here.\n',
    },
  ],
};
const ACTIONS = {
  actions: [
    { order: 1, description: 'Created TokenService with JWT generation', type: 'create', status: 'completed', filePath: 'src/Services/TokenService.cs' },
    { order: 2, description: 'Created JwtValidator for token validation', type: 'create', status: 'completed', filePath: 'src/Services/JwtValidator.cs' },
    { order: 3, description: 'Chose HS256 for JWT signing (internal service, symmetric key)', type: 'design_decision', status: 'completed', filePath: '' },
  ],
};
const COMPLETE = {
  response:
    'JWT authentication implemented:\n- TokenService generates HS256-signed tokens\n- JwtValidator validates and extracts claims\n' +
    '- Services registered in Startup.cs\n- All unit tests passing\n',
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function started(t: TestContext, args: string[] = []): Promise<{ mcp: McpConnection; root: string; sessionsDir: string }> {
  const { root, sessionsDir } = tempKb(t);
  const mcp = await McpConnection.start(t, root, args);
  return { mcp, root, sessionsDir };
}

function assertEnvelope(error: { code: string; message: string; details: Record<string, unknown>; hint?: string }, code: string): void {
  assert.equal(error.code, code, JSON.stringify(error));
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  assert.equal(typeof error.details, 'object');
  assert.ok(error.details !== null && !Array.isArray(error.details));
  assert.equal(typeof error.hint, 'string', `no hint in ${JSON.stringify(error)}`);
  assert.ok(error.hint!.length > 0);
}

describe('sessionlog mcp: the tools it lists', () => {
  it('lists one tool per operation, with schemas a model can follow', async (t) => {
    const { mcp } = await started(t);
    const { tools } = await mcp.client.listTools();
    const names = tools.map((tool) => tool.name).sort();
    assert.deepEqual(names, [
      'sessionlog_appendActions',
      'sessionlog_appendDialog',
      'sessionlog_beginTurn',
      'sessionlog_bootstrap',
      'sessionlog_closeSession',
      'sessionlog_completeTurn',
      'sessionlog_failTurn',
      'sessionlog_getSession',
      'sessionlog_listDecisions',
      'sessionlog_listFollowUps',
      'sessionlog_log',
      'sessionlog_markFollowUpDone',
      'sessionlog_openSession',
      'sessionlog_queryHistory',
      'sessionlog_queryLoggedSessions',
      'sessionlog_recordDecision',
      'sessionlog_resume',
      'sessionlog_search',
      'sessionlog_updateTurn',
    ]);
    for (const tool of tools) {
      const output = tool.outputSchema as { type?: string; properties?: Record<string, unknown> } | undefined;
      assert.equal(output?.type, 'object', `${tool.name} declares an outputSchema`);
      assert.ok(Object.keys(output.properties ?? {}).length > 0, `${tool.name}'s outputSchema names its fields`);
      assert.ok(tool.title, `${tool.name} has a title`);
    }
    for (const tool of tools) {
      assert.ok(tool.description && tool.description.length > 40, `${tool.name} has a description`);
      const schema = tool.inputSchema as { type: string; properties?: Record<string, { description?: string; type?: string }>; additionalProperties?: unknown };
      assert.equal(schema.type, 'object');
      assert.equal(schema.additionalProperties, false, `${tool.name} rejects unknown params`);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        assert.ok(property.description && property.description.length > 10, `${tool.name}.${name} has a description`);
        assert.ok(property.type, `${tool.name}.${name} has a type`);
      }
    }
    const byName = new Map(
      tools.map((tool) => [tool.name, tool.inputSchema as Record<string, unknown> & { properties: Record<string, Record<string, unknown>> }]),
    );
    assert.deepEqual(byName.get('sessionlog_openSession')!.required, ['agent', 'title']);
    assert.equal(byName.get('sessionlog_bootstrap')!.required, undefined);
    const sessionId = byName.get('sessionlog_beginTurn')!.properties.sessionId!;
    assert.match(String(sessionId.description), /Codex-20260409T120001Z-implement-auth/);
    assert.match(String(sessionId.description), /opened .* on this connection/);
    assert.match(String(byName.get('sessionlog_beginTurn')!.properties.requestId!.description), /Generated/);
    assert.ok(new RegExp(String(sessionId.pattern)).test(SESSION));
    const item = (byName.get('sessionlog_appendDialog')!.properties.dialogItems!.items as { properties: Record<string, { enum?: string[] }> }).properties;
    assert.deepEqual(item.role!.enum, ['model', 'tool', 'system', 'user']);
    assert.deepEqual(item.category!.enum, ['reasoning', 'tool_call', 'tool_result', 'observation', 'decision']);
    const action = (byName.get('sessionlog_appendActions')!.properties.actions!.items as { properties: Record<string, { enum?: string[] }> }).properties;
    assert.deepEqual(action.type!.enum, [
      'edit',
      'create',
      'delete',
      'design_decision',
      'commit',
      'pr_comment',
      'issue_comment',
      'web_reference',
      'dependency_add',
    ]);
    const readOnly = tools
      .filter((tool) => tool.annotations?.readOnlyHint)
      .map((tool) => tool.name)
      .sort();
    assert.deepEqual(readOnly, [
      'sessionlog_getSession',
      'sessionlog_listDecisions',
      'sessionlog_listFollowUps',
      'sessionlog_queryHistory',
      'sessionlog_queryLoggedSessions',
      'sessionlog_resume',
      'sessionlog_search',
    ]);
    assert.equal(mcp.client.getServerVersion()?.title, 'Session Log');
  });
});

describe("sessionlog mcp: the protocol's lifecycle", () => {
  it('bootstraps, opens, begins, updates, appends dialog and actions, completes, and shows it in history', async (t) => {
    const { mcp, sessionsDir } = await started(t);
    const boot = await mcp.ok('bootstrap');
    assert.equal(boot.initialized, true);
    assert.deepEqual(await mcp.ok('bootstrap'), boot, 'bootstrap is idempotent');
    assert.ok(fs.statSync(sessionsDir).isDirectory());

    const open = await mcp.ok('openSession', OPEN);
    assert.equal(open.sessionId, SESSION);
    assert.match(String(open.started), ISO);

    const begin = await mcp.call('beginTurn', BEGIN);
    assert.ok(begin.ok);
    assert.deepEqual({ ...begin.result, timestamp: 'T' }, { turnRequestId: TURN, status: 'in_progress', timestamp: 'T', sessionId: SESSION });
    assert.match(String(begin.result.timestamp), ISO);
    assert.deepEqual(begin.structured, begin.result, 'structuredContent carries the same result');
    assert.match(begin.summary, /^Began turn req-20260409T120002Z-add-jwt-001 in session Codex-20260409T120001Z-implement-auth\.$/);

    assert.equal((await mcp.ok('updateTurn', UPDATE)).status, 'in_progress');
    assert.equal((await mcp.ok('appendDialog', DIALOG)).dialogCount, 2);
    assert.equal((await mcp.ok('appendActions', ACTIONS)).actionCount, 3);
    const complete = await mcp.ok('completeTurn', COMPLETE);
    assert.equal(complete.turnRequestId, TURN);
    assert.equal(complete.status, 'completed');

    const history = await mcp.ok('queryHistory', { agent: 'Codex', limit: 10, offset: 0 });
    assert.equal(history.totalCount, 1);
    assert.equal(history.offset, 0);
    assert.equal(history.limit, 10);
    const [item] = history.sessions as Record<string, unknown>[];
    assert.deepEqual(
      { ...item, started: 'S', lastUpdated: 'U' },
      {
        agent: 'Codex',
        sessionId: SESSION,
        title: 'Implement JWT authentication',
        model: 'gpt-5.4',
        started: 'S',
        lastUpdated: 'U',
        status: 'in_progress',
        turnCount: 1,
        filesModifiedCount: 2,
        tags: ['feature', 'security', 'FR-AUTH-001'],
        path: `projects/demo/agent-sessions/${SESSION}.md`,
      },
    );

    const closed = await mcp.ok('closeSession', { summary: 'JWT done.' });
    assert.equal(closed.status, 'completed');
    const after = (await mcp.ok('queryHistory', {})).sessions as Record<string, unknown>[];
    assert.equal(after[0]!.status, 'completed');

    const session = await mcp.ok('getSession', { sessionId: SESSION });
    assert.equal(session.status, 'completed');
    assert.equal(session.closingNote, 'JWT done.');
    assert.deepEqual(session.filesModified, ['src/Services/TokenService.cs', 'src/Services/JwtValidator.cs']);
    const [turn] = session.turns as Record<string, unknown>[];
    assert.deepEqual(
      { ...turn, started: 'S', updated: 'U', ended: 'E' },
      {
        requestId: TURN,
        queryTitle: BEGIN.queryTitle,
        queryText: BEGIN.queryText,
        interpretation: UPDATE.interpretation,
        response: COMPLETE.response,
        tokenCount: 1250,
        tags: UPDATE.tags,
        contextList: UPDATE.contextList,
        dialog: DIALOG.dialogItems,
        actions: ACTIONS.actions,
        status: 'completed',
        started: 'S',
        updated: 'U',
        ended: 'E',
      },
    );

    const markdown = fs.readFileSync(path.join(sessionsDir, `${SESSION}.md`), 'utf8');
    assert.match(markdown, /^## Turn 1 · Add JWT authentication$/m);
    assert.match(markdown, /^1\. create · completed · `src\/Services\/TokenService\.cs` — Created TokenService with JWT generation$/m);
  });

  it('generates the session id and the request id when they are left out, and later calls default to them', async (t) => {
    const { mcp } = await started(t);
    const open = await mcp.ok('openSession', { agent: 'ClaudeCode', title: 'Fix the login timeout!' });
    assert.match(String(open.sessionId), /^ClaudeCode-\d{8}T\d{6}Z-fix-the-login-timeout$/);
    const begin = await mcp.ok('beginTurn', { queryTitle: 'Why does login time out?' });
    assert.match(String(begin.turnRequestId), /^req-\d{8}T\d{6}Z-why-does-login-time-out$/);
    assert.equal(begin.sessionId, open.sessionId);
    await mcp.ok('completeTurn', {});
    const session = await mcp.ok('getSession');
    assert.equal(session.sessionId, open.sessionId);
    assert.equal((session.turns as unknown[]).length, 1);
  });

  it('logs a quick structured entry and finds it, and agent turns, by search at once', async (t) => {
    const { mcp, root } = await started(t);
    const logged = await mcp.ok('log', {
      message: 'Fixed the refresh-token race in the auth middleware.',
      tags: ['auth', 'bugfix'],
      files: ['src/auth.ts'],
      decisions: [{ decision: 'Serialize refreshes per user', rationale: 'two refreshes invalidated each other' }],
      followUps: ['Add a regression test for parallel refreshes'],
      next: 'Look at the logout path next.',
    });
    assert.equal(logged.action, 'created');
    assert.equal(logged.path, 'projects/demo/sessions.md');
    assert.equal(logged.absolutePath, undefined);
    const entry = fs.readFileSync(path.join(root, 'projects/demo/sessions.md'), 'utf8');
    assert.match(entry, /^#auth #bugfix$/m);
    assert.match(entry, /Serialize refreshes per user/);

    const found = await mcp.ok('search', { query: 'refresh race', tags: ['auth'] });
    assert.equal(found.count, 1);
    const [hit] = found.hits as Record<string, unknown>[];
    assert.equal(hit!.path, 'projects/demo/sessions.md');
    assert.match(String(hit!.snippet), /refresh-token race/);
    assert.equal(hit!.message, undefined, 'a locator and a snippet, never the whole section');

    await mcp.ok('openSession', OPEN);
    await mcp.ok('beginTurn', { ...BEGIN, queryText: 'Please add quokka-based tokens' });
    const turns = await mcp.ok('search', { query: 'quokka' });
    assert.equal(turns.count, 1);
    const [turn] = turns.hits as Record<string, unknown>[];
    assert.match(String(turn!.path), /agent-sessions/);
    assert.equal(turn!.kind, 'turn');
    assert.equal(turn!.turnId, BEGIN.requestId);

    assertEnvelope(await mcp.fails('log', { message: '   ' }), 'invalid_parameter');
    assertEnvelope(await mcp.fails('log', { message: 'x', decisions: [{ rationale: 'no decision' }] }), 'invalid_parameter');
    assertEnvelope(await mcp.fails('search', {}), 'invalid_parameter');
  });
});

describe("sessionlog mcp: errors are tool errors with the protocol's envelope", () => {
  it('session_not_found: no session opened on this connection, an unknown session, a closed session', async (t) => {
    const { mcp } = await started(t);
    for (const op of ['beginTurn', 'updateTurn', 'completeTurn', 'getSession', 'closeSession']) {
      const error = await mcp.fails(op, op === 'beginTurn' ? { queryTitle: 'x' } : {});
      assertEnvelope(error, 'session_not_found');
      assert.match(error.hint!, /openSession/);
    }
    assertEnvelope(await mcp.fails('getSession', { sessionId: 'Codex-20260101T000000Z-nothing-here' }), 'session_not_found');
    await mcp.ok('openSession', OPEN);
    await mcp.ok('closeSession');
    assertEnvelope(await mcp.fails('beginTurn', { sessionId: SESSION, queryTitle: 'x' }), 'session_not_found');
  });

  it('session_already_exists, unless resume is asked for', async (t) => {
    const { mcp } = await started(t);
    await mcp.ok('openSession', OPEN);
    const error = await mcp.fails('openSession', OPEN);
    assertEnvelope(error, 'session_already_exists');
    assert.deepEqual(error.details, { sessionId: SESSION });
    const resumed = await mcp.ok('openSession', { ...OPEN, resume: true });
    assert.equal(resumed.resumed, true);
  });

  it("invalid_session_id: the protocol's invalid examples fail, its valid ones pass", async (t) => {
    const { mcp } = await started(t);
    for (const [agent, sessionId] of [
      ['Codex', 'Codex-20260409T120000Z-implement-auth'],
      ['Copilot', 'Copilot-20260304T113901Z-refactor-session'],
    ]) {
      assert.equal((await mcp.ok('openSession', { agent, sessionId, title: 'Valid' })).sessionId, sessionId);
    }
    for (const sessionId of [
      'claudecode-20260409T120000Z-task',
      'Copilot-20260304-feature',
      'Codex-20260409T120000Z-Upper',
      'Codex-20260409T120000Z-',
      'Codex-20260409T120000-x',
    ]) {
      const error = await mcp.fails('openSession', { agent: 'Codex', sessionId, title: 'Invalid' });
      assertEnvelope(error, 'invalid_session_id');
      assert.equal(error.details.value, sessionId);
    }
    assertEnvelope(await mcp.fails('openSession', { agent: 'Codex', sessionId: 'Copilot-20260304T113901Z-other-agent', title: 'x' }), 'invalid_session_id');
    assertEnvelope(await mcp.fails('getSession', { sessionId: '../../etc/passwd' }), 'invalid_session_id');
    assertEnvelope(await mcp.fails('beginTurn', { sessionId: 42, queryTitle: 'x' }), 'invalid_session_id');
  });

  it("invalid_request_id: the protocol's invalid examples fail, its valid ones pass", async (t) => {
    const { mcp } = await started(t);
    await mcp.ok('openSession', OPEN);
    for (const requestId of ['request-20260409T120001Z-task', 'req-20260409-task', 'req-20260409T120001Z-Task', 'req-20260409T120001Z']) {
      const error = await mcp.fails('beginTurn', { requestId, queryTitle: 'x' });
      assertEnvelope(error, 'invalid_request_id');
      assert.equal(error.details.value, requestId);
    }
    for (const requestId of ['req-20260409T120001Z-add-jwt-001', 'req-20260409T120002Z-query-todos']) {
      assert.equal((await mcp.ok('beginTurn', { requestId, queryTitle: 'Valid' })).turnRequestId, requestId);
      await mcp.ok('completeTurn');
    }
    assertEnvelope(await mcp.fails('updateTurn', { turnRequestId: 'req-bad' }), 'invalid_request_id');
  });

  it('turn_not_found, turn_already_exists', async (t) => {
    const { mcp } = await started(t);
    await mcp.ok('openSession', OPEN);
    for (const op of ['updateTurn', 'completeTurn']) assertEnvelope(await mcp.fails(op, {}), 'turn_not_found');
    assertEnvelope(await mcp.fails('failTurn', { errorMessage: 'x' }), 'turn_not_found');
    assertEnvelope(await mcp.fails('appendDialog', DIALOG), 'turn_not_found');
    await mcp.ok('beginTurn', BEGIN);
    const notFound = await mcp.fails('updateTurn', { turnRequestId: 'req-20260409T120009Z-unknown', response: 'x' });
    assertEnvelope(notFound, 'turn_not_found');
    assert.equal(notFound.details.turnRequestId, 'req-20260409T120009Z-unknown');

    const exists = await mcp.fails('beginTurn', BEGIN);
    assertEnvelope(exists, 'turn_already_exists');
    assert.equal(exists.details.turnRequestId, TURN);
    assert.equal((await mcp.ok('getSession')).turnCount, 1, 'the turn in progress was not superseded by a refused begin');
    await mcp.ok('completeTurn', COMPLETE);
    assertEnvelope(await mcp.fails('beginTurn', BEGIN), 'turn_already_exists');
  });

  it('invalid_parameter: missing, mistyped, out-of-range and unknown params', async (t) => {
    const { mcp } = await started(t);
    const bad: [string, Record<string, unknown>, string][] = [
      ['openSession', { title: 'No agent' }, 'agent'],
      ['openSession', { agent: 'codex', title: 'Lowercase agent' }, 'agent'],
      ['openSession', { agent: 'Codex' }, 'title'],
      ['openSession', { agent: 'Codex', title: 'x', colour: 'blue' }, 'colour'],
      ['queryHistory', { limit: 0 }, 'limit'],
      ['queryHistory', { offset: -1 }, 'offset'],
      ['queryHistory', { limit: '10' }, 'limit'],
    ];
    await mcp.ok('openSession', OPEN);
    await mcp.ok('beginTurn', BEGIN);
    bad.push(
      ['updateTurn', { tokenCount: -1 }, 'tokenCount'],
      ['updateTurn', { tokenCount: '1250' }, 'tokenCount'],
      ['updateTurn', { tags: 'feature' }, 'tags'],
      ['updateTurn', { tags: ['two words'] }, 'tags'],
      ['updateTurn', { response: 5 }, 'response'],
      ['appendDialog', { dialogItems: [] }, 'dialogItems'],
      ['appendDialog', { dialogItems: [{ role: 'assistant', content: 'x', category: 'reasoning' }] }, 'dialogItems[0].role'],
      ['appendDialog', { dialogItems: [{ role: 'model', content: 'x', category: 'thinking' }] }, 'dialogItems[0].category'],
      ['appendDialog', { dialogItems: [{ role: 'model', content: '', category: 'reasoning' }] }, 'dialogItems[0].content'],
      ['appendDialog', { dialogItems: [{ role: 'model', content: 'x', category: 'reasoning', timestamp: 'yesterday' }] }, 'dialogItems[0].timestamp'],
      ['appendActions', { actions: [{ description: 'x', type: 'rename' }] }, 'actions[0].type'],
      ['appendActions', { actions: [{ description: 'x', type: 'edit', status: 'done' }] }, 'actions[0].status'],
      ['appendActions', { actions: [{ description: 'x', type: 'edit', order: 1.5 }] }, 'actions[0].order'],
      ['appendActions', { actions: [{ type: 'edit' }] }, 'actions[0].description'],
      ['failTurn', {}, 'errorMessage'],
    );
    const before = await mcp.ok('getSession');
    for (const [op, params, field] of bad) {
      const error = await mcp.fails(op, params);
      assertEnvelope(error, 'invalid_parameter');
      const named = [error.details.field, ...((error.details.unknown as string[] | undefined) ?? [])];
      assert.ok(named.includes(field), `${op} ${JSON.stringify(params)} names ${field}: ${JSON.stringify(error)}`);
    }
    const after = await mcp.ok('getSession');
    assert.deepEqual(after, before, 'a refused call writes nothing');
  });

  it("turn_immutable: completed and failed turns take no more changes, in the protocol's words", async (t) => {
    const { mcp } = await started(t);
    await mcp.ok('openSession', OPEN);
    await mcp.ok('beginTurn', BEGIN);
    await mcp.ok('completeTurn', COMPLETE);
    const snapshot = await mcp.ok('getSession');
    const changes: [string, Record<string, unknown>][] = [
      ['updateTurn', { response: 'rewrite history' }],
      ['appendDialog', DIALOG],
      ['appendActions', ACTIONS],
      ['completeTurn', { response: 'again' }],
      ['failTurn', { errorMessage: 'too late' }],
    ];
    for (const [op, params] of changes) {
      const error = await mcp.fails(op, params);
      assert.deepEqual(error, {
        code: 'turn_immutable',
        message: 'Turn is immutable (status: completed)',
        details: { turnRequestId: TURN, currentStatus: 'completed' },
        hint: 'Begin a new turn instead',
      });
    }
    assert.deepEqual(await mcp.ok('getSession'), snapshot);

    await mcp.ok('beginTurn', { requestId: 'req-20260409T120007Z-fail-001', queryTitle: 'Blocked' });
    const failed = await mcp.ok('failTurn', {
      errorMessage: 'Unable to complete — missing System.IdentityModel.Tokens.Jwt package',
      errorCode: 'dependency_missing',
    });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorCode, 'dependency_missing');
    for (const [op, params] of changes) {
      const error = await mcp.fails(op, params);
      assertEnvelope(error, 'turn_immutable');
      assert.deepEqual(error.details, { turnRequestId: 'req-20260409T120007Z-fail-001', currentStatus: 'failed' });
    }
    // An earlier turn named explicitly is just as immutable.
    const earlier = await mcp.fails('updateTurn', { turnRequestId: TURN, response: 'x' });
    assert.deepEqual(earlier.details, { turnRequestId: TURN, currentStatus: 'completed' });
    const session = await mcp.ok('getSession', { order: 'oldest' });
    const turns = session.turns as Record<string, unknown>[];
    assert.equal(turns[1]!.errorMessage, 'Unable to complete — missing System.IdentityModel.Tokens.Jwt package');
    assert.deepEqual(turns[0], (snapshot.turns as unknown[])[0]);
  });
});

describe('sessionlog mcp: history', () => {
  it('pages with limit and offset, newest first, with totalCount, per agent or across agents', async (t) => {
    const { mcp } = await started(t);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const agent = i % 3 === 0 ? 'Copilot' : 'Codex';
      const sessionId = `${agent}-202604${String(10 + (i % 15)).padStart(2, '0')}T${String(i).padStart(2, '0')}0000Z-task-${i}`;
      await mcp.ok('openSession', { agent, sessionId, title: `Task ${i}` });
      ids.push(sessionId);
    }
    const newestFirst = [...ids].sort((a, b) => b.split('-')[1]!.localeCompare(a.split('-')[1]!));
    const pages: string[] = [];
    for (const offset of [0, 10, 20]) {
      const page = await mcp.ok('queryHistory', { limit: 10, offset });
      assert.equal(page.totalCount, 25);
      assert.equal(page.offset, offset);
      assert.equal(page.limit, 10);
      pages.push(...(page.sessions as { sessionId: string }[]).map((session) => session.sessionId));
    }
    assert.deepEqual(pages, newestFirst);
    const past = await mcp.ok('queryHistory', { limit: 10, offset: 30 });
    assert.deepEqual(past.sessions, []);
    assert.equal(past.totalCount, 25);
    const copilot = await mcp.ok('queryHistory', { agent: 'Copilot', limit: 100 });
    assert.equal(copilot.totalCount, 9);
    assert.ok((copilot.sessions as { agent: string }[]).every((session) => session.agent === 'Copilot'));
    const defaults = await mcp.ok('queryHistory');
    assert.equal((defaults.sessions as unknown[]).length, 10);
    assert.equal(defaults.limit, 10);
  });

  it('reports a turn left in progress as stale after --stale-minutes, and not before', async (t) => {
    const { root } = tempKb(t);
    const stale = await McpConnection.start(t, root, ['--stale-minutes', '0']);
    await stale.ok('openSession', OPEN);
    await stale.ok('beginTurn', BEGIN);
    const page = await stale.ok('queryHistory');
    assert.equal((page.sessions as Record<string, unknown>[])[0]!.staleTurn, TURN);
    assert.equal((await stale.ok('getSession')).staleTurn, TURN);

    const fresh = await McpConnection.start(t, root);
    assert.equal((await fresh.ok('queryHistory')).sessions instanceof Array, true);
    assert.equal(((await fresh.ok('queryHistory')).sessions as Record<string, unknown>[])[0]!.staleTurn, undefined);

    await stale.ok('completeTurn');
    assert.equal(((await stale.ok('queryHistory')).sessions as Record<string, unknown>[])[0]!.staleTurn, undefined);
    assert.equal((await stale.ok('getSession')).staleTurn, undefined);
  });
});

describe('sessionlog mcp: concurrent writers', () => {
  it('two servers writing two sessions of one project lose nothing', async (t) => {
    const { root } = tempKb(t);
    const [a, b] = await Promise.all([McpConnection.start(t, root), McpConnection.start(t, root)]);
    const work = async (mcp: McpConnection, agent: string, sessionId: string): Promise<void> => {
      await mcp.ok('openSession', { agent, sessionId, title: `${agent} work` });
      for (let i = 1; i <= 8; i++) {
        const requestId = `req-20260409T1200${String(i).padStart(2, '0')}Z-${agent.toLowerCase()}-${i}`;
        await mcp.ok('beginTurn', { requestId, queryTitle: `${agent} turn ${i}` });
        await mcp.ok('updateTurn', { tags: [`t${i}`], contextList: [`src/${agent}/${i}.ts`] });
        await mcp.ok('appendDialog', { dialogItems: [{ role: 'model', content: `${agent} thinks ${i}`, category: 'reasoning' }] });
        await mcp.ok('appendActions', { actions: [{ description: `${agent} edits ${i}`, type: 'edit', filePath: `src/${agent}/${i}.ts` }] });
        await mcp.ok(i % 4 === 0 ? 'failTurn' : 'completeTurn', i % 4 === 0 ? { errorMessage: `blocked ${i}` } : { response: `done ${i}` });
      }
    };
    await Promise.all([work(a, 'Codex', 'Codex-20260409T120000Z-left'), work(b, 'Copilot', 'Copilot-20260409T120000Z-right')]);
    for (const [mcp, agent] of [
      [a, 'Codex'],
      [b, 'Copilot'],
    ] as const) {
      const session = await mcp.ok('getSession', { order: 'oldest' });
      const turns = session.turns as { status: string; dialog: unknown[]; actions: unknown[]; tags: string[] }[];
      assert.equal(turns.length, 8);
      assert.equal(session.turnCount, 8);
      assert.deepEqual(
        turns.map((turn) => turn.status),
        ['completed', 'completed', 'completed', 'failed', 'completed', 'completed', 'completed', 'failed'],
      );
      assert.ok(turns.every((turn, i) => turn.dialog.length === 1 && turn.actions.length === 1 && turn.tags[0] === `t${i + 1}`));
      assert.equal((session.filesModified as string[]).length, 8);
      assert.ok((session.filesModified as string[]).every((file) => file.startsWith(`src/${agent}/`)));
    }
    const history = await a.ok('queryHistory');
    assert.equal(history.totalCount, 2);
    assert.deepEqual(
      (history.sessions as { turnCount: number }[]).map((session) => session.turnCount),
      [8, 8],
    );
  });

  it('two clients racing on one session: every dialog item and action kept, one turn at a time, the file parses', async (t) => {
    const { root, sessionsDir } = tempKb(t);
    const [a, b] = await Promise.all([McpConnection.start(t, root), McpConnection.start(t, root)]);
    await a.ok('openSession', OPEN);
    await b.ok('openSession', { ...OPEN, resume: true });
    await a.ok('beginTurn', BEGIN);
    const appendMany = async (mcp: McpConnection, who: string): Promise<void> => {
      for (let i = 0; i < 15; i++) {
        await mcp.ok('appendDialog', { dialogItems: [{ role: 'model', content: `${who} step ${i}\n## not a heading`, category: 'observation' }] });
        await mcp.ok('appendActions', { actions: [{ order: i, description: `${who} action ${i}`, type: 'edit', filePath: `${who}/${i}.ts` }] });
      }
    };
    await Promise.all([appendMany(a, 'a'), appendMany(b, 'b')]);
    const session = await b.ok('getSession');
    const [turn] = session.turns as { dialog: { content: string }[]; actions: { description: string }[] }[];
    assert.equal(turn!.dialog.length, 30);
    assert.equal(turn!.actions.length, 30);
    for (const who of ['a', 'b']) {
      const mine = turn!.dialog.filter((item) => item.content.startsWith(`${who} step`)).map((item) => item.content);
      assert.deepEqual(
        mine,
        Array.from({ length: 15 }, (_, i) => `${who} step ${i}\n## not a heading`),
        "each writer's items in its order",
      );
    }
    assert.equal((session.filesModified as string[]).length, 30);

    await a.ok('completeTurn');
    const raced = await Promise.all([
      a.call('beginTurn', { requestId: 'req-20260409T130000Z-from-a', queryTitle: 'From A' }),
      b.call('beginTurn', { requestId: 'req-20260409T130000Z-from-b', queryTitle: 'From B' }),
    ]);
    assert.ok(
      raced.every((answer) => answer.ok),
      'both turns begin, one after the other',
    );
    const superseded = raced.map((answer) => (answer.ok ? answer.result.superseded : undefined)).filter(Boolean);
    assert.equal(superseded.length, 1, 'the later begin supersedes the earlier one');
    const final = await a.ok('getSession', { order: 'oldest' });
    const turns = final.turns as { requestId: string; status: string; errorCode?: string }[];
    assert.equal(turns.length, 3);
    assert.equal(final.turnCount, 3);
    assert.deepEqual(
      turns.slice(1).map((turn) => turn.status),
      ['failed', 'in_progress'],
    );
    assert.equal(turns[1]!.errorCode, 'superseded');
    assert.equal(turns[1]!.requestId, superseded[0]);
    assert.deepEqual(fs.readdirSync(sessionsDir), [`${SESSION}.md`], 'no lock or temp files left behind');
  });
});
