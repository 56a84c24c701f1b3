/**
 * The agent protocol's envelope over `node dist/cli.js repl`: its examples, made single-line
 * JSON, sent line by line, give its result shapes; a failed request is an error envelope and
 * exit code 1; a line that is not a request is answered, never a crash.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { describe, it } from 'node:test';
import { CLI } from '../support/paths';
import { tempKb } from '../support/files';
import { baseEnv } from '../support/git';
import { request, runCli } from '../support/cli';

const SESSION = 'Codex-20260409T120001Z-implement-auth';
const TURN = 'req-20260409T120002Z-add-jwt-001';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The protocol's lifecycle, step by step, as it gives the requests. */
const SEED_STEPS = [
  request('req-20260409T120000Z-bootstrap-001', 'bootstrap'),
  request('req-20260409T120001Z-open-001', 'openSession', { agent: 'Codex', sessionId: SESSION, title: 'Implement JWT authentication', model: 'gpt-5.4' }),
  request('req-20260409T120002Z-begin-001', 'beginTurn', {
    requestId: TURN,
    queryTitle: 'Add JWT authentication',
    queryText: 'Implement JWT token generation and validation for the API',
  }),
  request('req-20260409T120003Z-update-001', 'updateTurn', {
    response: 'Created TokenService and JwtValidator classes',
    interpretation: 'User wants JWT authentication with token generation and validation',
    tokenCount: 1250,
    tags: ['feature', 'security', 'FR-AUTH-001'],
    contextList: ['src/Services/TokenService.cs', 'src/Services/JwtValidator.cs'],
  }),
  request('req-20260409T120004Z-dialog-001', 'appendDialog', {
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
  }),
  request('req-20260409T120005Z-actions-001', 'appendActions', {
    actions: [
      { order: 1, description: 'Created TokenService with JWT generation', type: 'create', status: 'completed', filePath: 'src/Services/TokenService.cs' },
      { order: 2, description: 'Created JwtValidator for token validation', type: 'create', status: 'completed', filePath: 'src/Services/JwtValidator.cs' },
      { order: 3, description: 'Chose HS256 for JWT signing (internal service, symmetric key)', type: 'design_decision', status: 'completed', filePath: '' },
    ],
  }),
  request('req-20260409T120006Z-complete-001', 'completeTurn', {
    response:
      'JWT authentication implemented:\n- TokenService generates HS256-signed tokens\n- JwtValidator validates and extracts claims\n' +
      '- Services registered in Startup.cs\n- All unit tests passing\n',
  }),
  request('req-20260409T120008Z-history-001', 'queryHistory', { agent: 'Codex', limit: 10, offset: 0 }),
];

interface Answer {
  type: 'result' | 'error';
  payload: Record<string, unknown> & { requestId: string | null; result?: Record<string, unknown> };
}

function answers(stdout: string): Answer[] {
  const lines = stdout.split('\n').filter((line) => line !== '');
  return lines.map((line) => JSON.parse(line) as Answer);
}

describe('sessionlog repl: the envelope protocol', () => {
  it("answers the protocol's lifecycle with its result shapes, one line per request, and exits 0", async (t) => {
    const { root } = tempKb(t);
    assert.ok(SEED_STEPS.every((line) => !line.includes('\n')));
    const run = await runCli(['repl'], root, `${SEED_STEPS.join('\n')}\n`);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const got = answers(run.stdout);
    assert.equal(got.length, SEED_STEPS.length);
    assert.ok(
      run.stdout
        .split('\n')
        .filter(Boolean)
        .every((line) => JSON.parse(line) && !line.includes('\n')),
    );
    const ids = SEED_STEPS.map((line) => (JSON.parse(line) as { payload: { requestId: string } }).payload.requestId);
    assert.deepEqual(
      got.map((answer) => answer.payload.requestId),
      ids,
      'same requestIds, same order',
    );
    assert.ok(
      got.every((answer) => answer.type === 'result'),
      JSON.stringify(got.filter((answer) => answer.type !== 'result')),
    );
    assert.deepEqual(Object.keys(got[0]!.payload).sort(), ['requestId', 'result']);

    const [boot, open, begin, , dialog, actions, complete, history] = got.map((answer) => answer.payload.result!);
    assert.equal(boot!.initialized, true);
    assert.equal(open!.sessionId, SESSION);
    assert.match(String(open!.started), ISO);
    assert.equal(begin!.turnRequestId, TURN);
    assert.equal(begin!.status, 'in_progress');
    assert.match(String(begin!.timestamp), ISO);
    assert.equal(dialog!.dialogCount, 2);
    assert.equal(actions!.actionCount, 3);
    assert.equal(complete!.status, 'completed');
    assert.equal(history!.totalCount, 1);
    assert.equal(history!.offset, 0);
    assert.equal(history!.limit, 10);
    const [item] = history!.sessions as Record<string, unknown>[];
    for (const key of ['agent', 'sessionId', 'title', 'model', 'started', 'lastUpdated', 'status', 'turnCount', 'filesModifiedCount', 'tags']) {
      assert.ok(key in item!, `history item has ${key}`);
    }
    assert.equal(item!.turnCount, 1);
    assert.equal(item!.filesModifiedCount, 2);
    assert.deepEqual(item!.tags, ['feature', 'security', 'FR-AUTH-001']);

    // A second process on the same knowledge base: bootstrap again (idempotent), the session is there.
    const again = await runCli(
      ['repl'],
      root,
      `${request('req-20260409T130000Z-bootstrap-002', 'bootstrap')}\n${request('req-20260409T130001Z-get-001', 'getSession', { sessionId: SESSION })}\n`,
    );
    assert.equal(again.status, 0, again.stdout);
    const session = answers(again.stdout)[1]!.payload.result!;
    assert.equal((session.turns as Record<string, unknown>[])[0]!.status, 'completed');
  });

  it("gives the protocol's turn_immutable error envelope, and exits 1", async (t) => {
    const { root } = tempKb(t);
    const lines = [
      ...SEED_STEPS.slice(0, 3),
      SEED_STEPS[6]!,
      SEED_STEPS[3]!, // updateTurn after completeTurn
      request('req-20260409T120007Z-fail-001', 'failTurn', {
        errorMessage: 'Unable to complete — missing System.IdentityModel.Tokens.Jwt package',
        errorCode: 'dependency_missing',
      }),
      SEED_STEPS[7]!,
    ];
    const run = await runCli(['repl'], root, lines.join('\n'));
    assert.equal(run.status, 1);
    const got = answers(run.stdout);
    assert.equal(got.length, lines.length, 'every request answered, also after a failure');
    assert.deepEqual(got[4], {
      type: 'error',
      payload: {
        requestId: 'req-20260409T120003Z-update-001',
        code: 'turn_immutable',
        message: 'Turn is immutable (status: completed)',
        details: { turnRequestId: TURN, currentStatus: 'completed' },
        hint: 'Begin a new turn instead',
      },
    });
    assert.equal(got[5]!.type, 'error');
    assert.equal(got[5]!.payload.code, 'turn_immutable');
    assert.equal(got[6]!.type, 'result', 'the session goes on after an error');
  });

  it('redacts secrets in what agents write, keeping ids and enums as given', async (t) => {
    const { root } = tempKb(t);
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const lines = [
      ...SEED_STEPS.slice(0, 2),
      request('req-20260409T120002Z-begin-001', 'beginTurn', { requestId: TURN, queryTitle: 'Deploy', queryText: `Use the token ${token} to push` }),
      request('req-20260409T120004Z-dialog-001', 'appendDialog', {
        dialogItems: [{ role: 'tool', category: 'tool_result', content: `password=hunter2hunter2 and ${token}` }],
      }),
      request('req-20260409T130001Z-get-001', 'getSession', { sessionId: SESSION }),
    ];
    const run = await runCli(['repl'], root, lines.join('\n'));
    assert.equal(run.status, 0, run.stdout);
    assert.ok(!run.stdout.includes(token), 'the token is not read back');
    const turn = (answers(run.stdout)[4]!.payload.result!.turns as Record<string, unknown>[])[0]!;
    assert.equal(turn.requestId, TURN);
    assert.match(String(turn.queryText), /^Use the token \[REDACTED:[a-z_-]+\] to push$/);
    const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.md'));
    for (const file of files) assert.ok(!fs.readFileSync(path.join(root, file), 'utf8').includes(token), `${file} holds no secret`);

    const kept = tempKb(t).root;
    const asWritten = await runCli(['repl', '--no-redact'], kept, lines.join('\n'));
    assert.equal(asWritten.status, 0, asWritten.stdout);
    assert.ok(asWritten.stdout.includes(`Use the token ${token} to push`), '--no-redact keeps the text as written');
  });

  it('answers lines that are not requests with error envelopes, never crashing', async (t) => {
    const { root } = tempKb(t);
    const bad: [string, string, string | null][] = [
      ['this is not json', 'invalid_parameter', null],
      ['{"type":"request","payload":', 'invalid_parameter', null],
      ['[1,2,3]', 'invalid_parameter', null],
      ['{"type":"result","payload":{"requestId":"req-20260409T120000Z-x"}}', 'invalid_parameter', 'req-20260409T120000Z-x'],
      ['{"type":"request"}', 'invalid_parameter', null],
      [
        JSON.stringify({ type: 'request', payload: { requestId: 'request-20260409T120001Z-task', method: 'workflow.sessionlog.bootstrap', params: {} } }),
        'invalid_request_id',
        'request-20260409T120001Z-task',
      ],
      [JSON.stringify({ type: 'request', payload: { method: 'workflow.sessionlog.bootstrap', params: {} } }), 'invalid_request_id', null],
      [request('req-20260409T120000Z-unknown', 'deleteEverything'), 'unknown_method', 'req-20260409T120000Z-unknown'],
      [
        JSON.stringify({ type: 'request', payload: { requestId: 'req-20260409T120000Z-native', method: 'sessionlog_bootstrap', params: {} } }),
        'unknown_method',
        'req-20260409T120000Z-native',
      ],
      [
        JSON.stringify({ type: 'request', payload: { requestId: 'req-20260409T120000Z-params', method: 'workflow.sessionlog.queryHistory', params: [1] } }),
        'invalid_parameter',
        'req-20260409T120000Z-params',
      ],
      [request('req-20260409T120000Z-typo', 'queryHistory', { limt: 5 }), 'invalid_parameter', 'req-20260409T120000Z-typo'],
      [request('req-20260409T120000Z-nosession', 'beginTurn', { queryTitle: 'x' }), 'session_not_found', 'req-20260409T120000Z-nosession'],
    ];
    const input = `${bad.map(([line]) => line).join('\r\n')}\r\n\r\n${request('req-20260409T120009Z-ok', 'bootstrap')}\n`;
    const run = await runCli(['repl'], root, input);
    assert.equal(run.status, 1);
    const got = answers(run.stdout);
    assert.equal(got.length, bad.length + 1, 'one answer per request line; blank lines are skipped');
    bad.forEach(([line, code, requestId], index) => {
      const answer = got[index]!;
      assert.equal(answer.type, 'error', line);
      assert.equal(answer.payload.code, code, line);
      assert.equal(answer.payload.requestId, requestId, line);
      assert.equal(typeof answer.payload.message, 'string');
      assert.equal(typeof answer.payload.details, 'object');
      assert.equal(typeof answer.payload.hint, 'string');
    });
    assert.match(String(got[7]!.payload.hint), /workflow\.sessionlog\.beginTurn/);
    assert.equal(got[bad.length]!.type, 'result');
  });

  it('answers each line as it arrives, before the next one is sent', async (t) => {
    const { root } = tempKb(t);
    const child = spawn(process.execPath, [CLI, 'repl'], { cwd: root, env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    t.after(() => child.kill());
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    for (const [index, line] of SEED_STEPS.slice(0, 3).entries()) {
      child.stdin.write(`${line}\n`);
      const next = await lines.next();
      const answer = JSON.parse(String(next.value)) as Answer;
      assert.equal(answer.payload.requestId, (JSON.parse(SEED_STEPS[index]!) as { payload: { requestId: string } }).payload.requestId);
      assert.equal(answer.type, 'result');
    }
    child.stdin.end();
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(status, 0);
  });

  it('prints its help, listing every method', async (t) => {
    const { root } = tempKb(t);
    const help = await runCli(['repl', '--help'], root);
    assert.equal(help.status, 0);
    for (const op of [
      'bootstrap',
      'openSession',
      'beginTurn',
      'updateTurn',
      'appendDialog',
      'appendActions',
      'completeTurn',
      'failTurn',
      'closeSession',
      'queryHistory',
      'getSession',
      'log',
      'search',
    ]) {
      assert.match(help.stdout, new RegExp(`workflow\\.sessionlog\\.${op}\\b`));
    }
    const top = await runCli(['--help'], root);
    assert.match(top.stdout, /^ {2}mcp /m);
    assert.match(top.stdout, /^ {2}repl /m);
  });
});

describe('sessionlog repl: the operations agents gained', () => {
  it('supersedes an abandoned turn, pages getSession, resumes, records decisions and ticks follow-ups over envelopes', async (t) => {
    const { root } = tempKb(t);
    const sessionId = 'ClaudeCode-20260409T120001Z-envelopes';
    const steps = [
      request('req-20260409T120000Z-log', 'log', { message: 'Logged by hand', followUps: ['Add tests'], next: 'Start with the parser' }),
      request('req-20260409T120001Z-open', 'openSession', { agent: 'ClaudeCode', sessionId, title: 'Envelopes' }),
      request('req-20260409T120002Z-begin', 'beginTurn', { sessionId, requestId: 'req-20260409T120002Z-left', queryTitle: 'Left behind' }),
      request('req-20260409T120003Z-begin', 'beginTurn', { sessionId, requestId: 'req-20260409T120003Z-next', queryTitle: 'Next' }),
      request('req-20260409T120004Z-get', 'getSession', { sessionId, limit: 1 }),
      request('req-20260409T120005Z-history', 'queryHistory', { status: 'in_progress', since: '1d' }),
      request('req-20260409T120006Z-adr', 'recordDecision', { title: 'Envelopes stay', decision: 'Keep the REPL' }),
      request('req-20260409T120007Z-adrs', 'listDecisions'),
      request('req-20260409T120008Z-follow', 'listFollowUps'),
      request('req-20260409T120009Z-done', 'markFollowUpDone', { text: 'Add tests' }),
      request('req-20260409T120010Z-logged', 'queryLoggedSessions'),
      request('req-20260409T120011Z-resume', 'resume', { maxTokens: 1000 }),
    ];
    const run = await runCli(['repl'], root, steps.join('\n'));
    assert.equal(run.status, 0, run.stdout);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { payload: { result: Record<string, unknown> } }).payload.result);
    assert.equal(results[3]!.superseded, 'req-20260409T120002Z-left');
    assert.equal(results[4]!.returned, 1);
    assert.equal(results[4]!.nextOffset, 1);
    assert.equal(results[5]!.totalCount, 1);
    assert.equal(results[6]!.id, 'ADR-001');
    assert.equal(results[7]!.totalCount, 1);
    assert.deepEqual(
      (results[8]!.followUps as { text: string }[]).map((item) => item.text),
      ['Add tests'],
    );
    assert.equal(results[9]!.done, true);
    assert.equal(results[10]!.totalCount, 1);
    assert.match(String(results[11]!.text), /Start with the parser[\s\S]*req-20260409T120003Z-next[\s\S]*ADR-001/);
  });
});
