/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AGENT_OPERATIONS } from '../../src/core/agent/operations';
import { createTool } from '../../src/extension/tools/tools';
import { api, entryIn, read, removeTemps, tempDir, useKnowledgeBase } from './helpers';

/** Invokes a tool as a chat or any extension would, and reads its result: the JSON part and the sentence. */
async function invoke(name: string, input: object): Promise<{ json: Record<string, unknown>; sentence: string }> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const texts = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''));
  assert.equal(texts.length, 2, `${name} answers with JSON and one sentence`);
  return { json: JSON.parse(texts[0]!) as Record<string, unknown>, sentence: texts[1]! };
}

const NAMES = [
  'sessionlog_log',
  'sessionlog_openSession',
  'sessionlog_beginTurn',
  'sessionlog_updateTurn',
  'sessionlog_appendDialog',
  'sessionlog_appendActions',
  'sessionlog_completeTurn',
  'sessionlog_failTurn',
  'sessionlog_closeSession',
  'sessionlog_queryHistory',
  'sessionlog_getSession',
  'sessionlog_search',
  'sessionlog_resume',
  'sessionlog_recordDecision',
  'sessionlog_listDecisions',
  'sessionlog_listFollowUps',
  'sessionlog_markFollowUpDone',
  'sessionlog_queryLoggedSessions',
];

/** The tools that only read: they must run without asking, and say so in their tags. */
const READ_ONLY = [
  'sessionlog_queryHistory',
  'sessionlog_getSession',
  'sessionlog_search',
  'sessionlog_resume',
  'sessionlog_listDecisions',
  'sessionlog_listFollowUps',
  'sessionlog_queryLoggedSessions',
];

interface ContributedTool {
  name: string;
  toolReferenceName?: string;
  canBeReferencedInPrompt?: boolean;
  tags?: string[];
}

const contributed = () =>
  (vscode.extensions.getExtension('sessionlog.sessionlog')!.packageJSON as { contributes: { languageModelTools: ContributedTool[] } }).contributes
    .languageModelTools;

describe('language-model tools', () => {
  let kb: string;

  before(async () => {
    await api();
    kb = tempDir('sessionlog-tools-');
    await useKnowledgeBase(kb);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('sessionlog').update('redactSecrets', undefined, vscode.ConfigurationTarget.Global);
    await useKnowledgeBase(undefined);
    removeTemps();
  });

  it('are all registered, with their schemas', () => {
    for (const name of NAMES) {
      const tool = vscode.lm.tools.find((candidate) => candidate.name === name);
      assert.ok(tool, `${name} is registered`);
      assert.ok(tool.description.length > 40, `${name} has a model description`);
      assert.equal((tool.inputSchema as { type?: string } | undefined)?.type, 'object', `${name} has an input schema`);
    }
  });

  it('are contributed under their #reference names, tagged as reading or writing', () => {
    assert.deepEqual(
      contributed().map((tool) => tool.name),
      NAMES,
    );
    for (const tool of contributed()) {
      const operation = tool.name.slice('sessionlog_'.length);
      assert.equal(tool.toolReferenceName, `sessionlog${operation[0]!.toUpperCase()}${operation.slice(1)}`, `${tool.name}'s reference name`);
      assert.equal(tool.canBeReferencedInPrompt, true, `${tool.name} cannot be referenced in a prompt`);
      const kind = READ_ONLY.includes(tool.name) ? 'read' : 'write';
      assert.equal(AGENT_OPERATIONS.find((candidate) => candidate.name === operation)?.readOnly, kind === 'read', `${tool.name} is not ${kind}-only`);
      assert.deepEqual(vscode.lm.tools.find((candidate) => candidate.name === tool.name)?.tags, ['sessionlog', kind], `${tool.name}'s tags as registered`);
    }
  });

  it('run the read-only ones without asking: no confirmation, one line saying what they read', async () => {
    const unused = () => Promise.reject(new Error('preparing a tool needs no services'));
    const expected: [string, Record<string, unknown>, string][] = [
      ['queryHistory', { agent: 'Copilot', limit: 5 }, 'Reading agent session history of Copilot'],
      ['getSession', { sessionId: 'Codex-20260409T120000Z-implement-auth' }, 'Reading agent session Codex-20260409T120000Z-implement-auth'],
      ['search', { query: 'jwt login' }, 'Searching the session log for "jwt login"'],
      ['resume', {}, "Reading where the project's work left off"],
      ['listDecisions', {}, "Listing the project's decision records"],
      ['listFollowUps', {}, "Listing the project's follow-ups"],
      ['queryLoggedSessions', { tag: 'auth' }, "Reading the project's logged sessions"],
    ];
    assert.deepEqual(
      expected.map(([operation]) => `sessionlog_${operation}`),
      READ_ONLY,
    );
    for (const [operation, input, message] of expected) {
      const prepared = await createTool(operation, unused, unused).prepareInvocation!({ input }, new vscode.CancellationTokenSource().token);
      assert.ok(prepared, `sessionlog_${operation} prepares nothing`);
      assert.equal(prepared.confirmationMessages, undefined, `sessionlog_${operation} asks for confirmation`);
      assert.equal(prepared.invocationMessage, message);
    }
  });

  it('run a whole agent session: open, turns with dialog and actions, complete, fail, close, history, get', async () => {
    const opened = await invoke('sessionlog_openSession', { agent: 'Copilot', title: 'Add JWT authentication', model: 'test-model' });
    const sessionId = opened.json.sessionId as string;
    assert.match(sessionId, /^Copilot-\d{8}T\d{6}Z-add-jwt-authentication$/);
    assert.match(opened.sentence, /^Opened session Copilot-/);
    const file = path.join(kb, opened.json.path as string);
    assert.ok(fs.existsSync(file), `the session file ${file} exists`);

    // The session opened is the current one: later calls leave out sessionId.
    const begun = await invoke('sessionlog_beginTurn', { queryTitle: 'Add JWT', queryText: 'Implement token generation' });
    assert.equal(begun.json.status, 'in_progress');
    assert.equal(begun.json.sessionId, sessionId);
    const turn = begun.json.turnRequestId as string;
    assert.match(turn, /^req-\d{8}T\d{6}Z-add-jwt$/);

    const updated = await invoke('sessionlog_updateTurn', { interpretation: 'JWT auth', tags: ['feature', 'security'], contextList: ['src/auth/jwt.ts'] });
    assert.equal(updated.json.turnRequestId, turn);
    const dialog = await invoke('sessionlog_appendDialog', {
      dialogItems: [
        { role: 'model', content: 'Decision: HS256. Rationale: symmetric key, token ghp_abcdefghijklmnopqrstuvwxyz0123456789', category: 'decision' },
        { role: 'tool', content: 'npm test passed', category: 'tool_result', timestamp: '2026-04-09T12:00:05Z' },
      ],
    });
    assert.equal(dialog.json.appended, 2);
    const actions = await invoke('sessionlog_appendActions', {
      actions: [
        { description: 'Created TokenService', type: 'create', filePath: 'src/auth/jwt.ts' },
        { order: 2, description: 'Chose HS256', type: 'design_decision', status: 'completed' },
      ],
    });
    assert.equal(actions.json.actionCount, 2);
    const completed = await invoke('sessionlog_completeTurn', { response: 'JWT authentication implemented' });
    assert.equal(completed.json.status, 'completed');
    assert.match(completed.sentence, /immutable/);

    // The strict state machine: a completed turn takes no more updates, as an error result (not a throw).
    const refused = await invoke('sessionlog_updateTurn', { response: 'too late' });
    assert.equal(refused.json.code, 'turn_immutable');
    assert.match(refused.sentence, /turn_immutable/);

    await invoke('sessionlog_beginTurn', { queryTitle: 'Refresh tokens' });
    const failed = await invoke('sessionlog_failTurn', { errorMessage: 'Missing jose package', errorCode: 'dependency_missing' });
    assert.equal(failed.json.status, 'failed');
    const closed = await invoke('sessionlog_closeSession', { summary: 'JWT done; refresh tokens blocked' });
    assert.equal(closed.json.status, 'completed');

    const text = read(file);
    assert.match(text, /\[REDACTED:github-token\]/, 'secrets in dialog are redacted by default');
    assert.doesNotMatch(text, /ghp_abcdefghijklmnopqrstuvwxyz0123456789/);
    assert.match(text, /src\/auth\/jwt\.ts/);

    const history = await invoke('sessionlog_queryHistory', { agent: 'Copilot', limit: 5 });
    assert.equal(history.json.totalCount, 1);
    const [item] = history.json.sessions as { sessionId: string; turnCount: number; filesModifiedCount: number; status: string }[];
    assert.deepEqual(
      { id: item!.sessionId, turns: item!.turnCount, files: item!.filesModifiedCount, status: item!.status },
      { id: sessionId, turns: 2, files: 1, status: 'completed' },
    );
    const got = await invoke('sessionlog_getSession', { sessionId, order: 'oldest' });
    const turns = got.json.turns as { status: string; actions: unknown[]; dialog: unknown[] }[];
    assert.deepEqual(
      turns.map((t) => t.status),
      ['completed', 'failed'],
    );
    assert.equal(turns[0]!.dialog.length, 2);
  });

  it('report bad input as {code, message, hint} with the id format', async () => {
    const bad = await invoke('sessionlog_getSession', { sessionId: 'copilot-2026-x' });
    assert.equal(bad.json.code, 'invalid_session_id');
    assert.match(String(bad.json.hint), /Codex-20260409T120000Z-implement-auth/);
  });

  it('log a session note (redacted) and search finds it at once', async () => {
    const logged = await invoke('sessionlog_log', {
      message: 'Implemented JWT login; api_key=sk-abcdefghijklmnopqrstuvwxyz123456 was rotated',
      tags: ['auth'],
      files: ['src/auth/jwt.ts'],
      decisions: [{ decision: 'Used jose', rationale: 'type-safe' }],
      followUps: ['Add refresh tokens'],
      next: 'Start with src/auth/refresh.ts',
    });
    assert.equal(logged.json.path, 'projects/demo/sessions.md');
    assert.equal(logged.json.redactions, 1);
    assert.match(logged.sentence, /Logged the session to projects\/demo\/sessions\.md .*1 secret redacted/);
    const entry = read(entryIn(kb));
    assert.match(entry, /\[REDACTED:api-key\]/);
    assert.match(entry, /- \[ \] Add refresh tokens/);

    const found = await invoke('sessionlog_search', { query: 'jwt login', tags: ['auth'] });
    assert.equal(found.json.count, 1);
    assert.match(found.sentence, /1 matching result found/);
    assert.equal((found.json.hits as { kind: string }[])[0]!.kind, 'session');
  });

  it('resume, record and list decisions, list follow-ups and mark one done, read logged sessions', async () => {
    await invoke('sessionlog_log', { message: 'Parser half done', tags: ['parser'], followUps: ['Add tokenizer tests'], next: 'Pick up the tokenizer' });
    const decision = await invoke('sessionlog_recordDecision', {
      title: 'Hand-written parser',
      decision: 'No parser generator',
      rationale: 'Fewer dependencies',
    });
    assert.match(String(decision.json.id), /^ADR-\d{3}$/);
    assert.ok(fs.existsSync(path.join(kb, decision.json.path as string)), 'the ADR file exists');
    const decisions = await invoke('sessionlog_listDecisions', {});
    assert.ok((decisions.json.decisions as { id: string }[]).some((item) => item.id === decision.json.id));

    const resume = await invoke('sessionlog_resume', { maxTokens: 2000 });
    assert.match(String(resume.json.text), /Pick up the tokenizer/);
    assert.match(String(resume.json.text), /Add tokenizer tests/);
    assert.match(String(resume.json.text), /Hand-written parser/);

    const followUps = await invoke('sessionlog_listFollowUps', {});
    assert.ok((followUps.json.followUps as { text: string }[]).some((item) => item.text === 'Add tokenizer tests'));
    const done = await invoke('sessionlog_markFollowUpDone', { text: 'Add tokenizer tests' });
    assert.equal(done.json.done, true);
    assert.match(read(entryIn(kb)), /- \[x\] Add tokenizer tests/);

    const logged = await invoke('sessionlog_queryLoggedSessions', { tag: 'parser' });
    assert.equal(logged.json.totalCount, 1);
    assert.match(String((logged.json.sessions as { message: string }[])[0]!.message), /Parser half done/);
  });

  it('write secrets as given when sessionlog.redactSecrets is off', async () => {
    await vscode.workspace.getConfiguration('sessionlog').update('redactSecrets', false, vscode.ConfigurationTarget.Global);
    const logged = await invoke('sessionlog_log', { message: 'Kept password=hunter2hunter2 on purpose' });
    assert.equal(logged.json.redactions, 0);
    assert.match(read(entryIn(kb)), /password=hunter2hunter2/);
    await vscode.workspace.getConfiguration('sessionlog').update('redactSecrets', undefined, vscode.ConfigurationTarget.Global);
  });

  it('add sessionlog.defaultTags to a session they log, as every writer in VS Code does', async () => {
    const config = vscode.workspace.getConfiguration('sessionlog');
    await config.update('defaultTags', ['team', 'auth'], vscode.ConfigurationTarget.Global);
    try {
      const logged = await invoke('sessionlog_log', { message: 'Tagged by the settings too', tags: ['auth', 'tools'] });
      assert.deepEqual((logged.json.record as { tags: string[] }).tags, ['auth', 'tools', 'team']);
      assert.match(read(entryIn(kb)), /#auth #tools #team\n\nTagged by the settings too/);
    } finally {
      await config.update('defaultTags', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
