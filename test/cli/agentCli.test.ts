/**
 * Agent sessions in the CLI's reading commands: `history --agents` and `get` of a session file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempKb } from '../support/files';
import { request, runCli } from '../support/cli';

const REQUESTS = [
  request('req-20260409T120001Z-open-001', 'openSession', {
    agent: 'Codex',
    sessionId: 'Codex-20260409T120001Z-implement-auth',
    title: 'Implement JWT authentication',
  }),
  request('req-20260409T120002Z-begin-001', 'beginTurn', { requestId: 'req-20260409T120002Z-add-jwt-001', queryTitle: 'Add JWT authentication' }),
  request('req-20260409T120003Z-actions-001', 'appendActions', {
    actions: [{ description: 'Created TokenService', type: 'create', filePath: 'src/TokenService.cs' }],
  }),
  request('req-20260409T120004Z-complete-001', 'completeTurn', {}),
  request('req-20260409T120005Z-begin-002', 'beginTurn', { requestId: 'req-20260409T120005Z-tests', queryTitle: 'Add tests' }),
  request('req-20260410T090000Z-open-002', 'openSession', {
    agent: 'Copilot',
    sessionId: 'Copilot-20260410T090000Z-refactor-session',
    title: 'Refactor the session store',
  }),
];

describe('sessionlog history --agents and get', () => {
  it('lists agent sessions newest first with status, turn count and stale turns; get --json gives the session', async (t) => {
    const { root } = tempKb(t);
    const setup = await runCli(['repl'], root, REQUESTS.join('\n'));
    assert.equal(setup.status, 0, setup.stdout);

    const text = await runCli(['history', '--agents', '--stale-minutes', '0'], root);
    assert.equal(text.status, 0, text.stderr);
    const lines = text.stdout.split('\n');
    assert.match(lines[0]!, /^Copilot-20260410T090000Z-refactor-session {2}in_progress {2}0 turns {2}Refactor the session store$/);
    assert.match(
      text.stdout,
      /^Codex-20260409T120001Z-implement-auth {2}in_progress {2}2 turns {2}Implement JWT authentication {2}STALE turn req-20260409T120005Z-tests$/m,
    );
    assert.match(text.stdout, /\(1-2 of 2\)/);

    const json = await runCli(['history', '--agents', '--json', '--limit', '1', '--offset', '1'], root);
    const page = JSON.parse(json.stdout) as { sessions: Record<string, unknown>[]; totalCount: number; offset: number; limit: number };
    assert.equal(page.totalCount, 2);
    assert.equal(page.offset, 1);
    assert.equal(page.limit, 1);
    assert.equal(page.sessions[0]!.sessionId, 'Codex-20260409T120001Z-implement-auth');
    assert.equal(page.sessions[0]!.turnCount, 2);
    assert.equal(page.sessions[0]!.filesModifiedCount, 1);
    assert.equal(page.sessions[0]!.staleTurn, undefined, 'not stale within the default 30 minutes');

    const plain = await runCli(['history'], root);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /^2 agent sessions too: sessionlog history --agents$/m, 'plain history points at the agent sessions');

    const copilot = JSON.parse((await runCli(['history', '--agent', 'Copilot', '--json'], root)).stdout) as { totalCount: number };
    assert.equal(copilot.totalCount, 1);
    const none = await runCli(['history', '--agents', '--agent', 'Cursor'], root);
    assert.equal(none.stdout.trim(), 'No agent sessions by Cursor yet.');

    const file = 'projects/demo/agent-sessions/Codex-20260409T120001Z-implement-auth.md';
    const printed = await runCli(['get', file], root);
    assert.equal(printed.status, 0);
    assert.match(printed.stdout, /^## Turn 2 · Add tests$/m);
    const got = JSON.parse((await runCli(['get', file, '--json'], root)).stdout) as Record<string, unknown>;
    assert.equal(got.path, file);
    assert.equal(got.sessionId, 'Codex-20260409T120001Z-implement-auth');
    const turns = got.turns as Record<string, unknown>[];
    assert.deepEqual(
      turns.map((turn) => turn.status),
      ['completed', 'in_progress'],
    );
    assert.deepEqual((turns[0]!.actions as Record<string, unknown>[])[0], {
      order: 1,
      description: 'Created TokenService',
      type: 'create',
      status: 'completed',
      filePath: 'src/TokenService.cs',
    });

    const help = await runCli(['history', '--help'], root);
    assert.match(help.stdout, /--agents/);
    assert.match(help.stdout, /--stale-minutes/);
    const misuse = await runCli(['history', '--agents', '--entry', 'x.md'], root);
    assert.equal(misuse.status, 2);
  });
});

describe('sessionlog history filters and --jsonl', () => {
  it('filters agent sessions as queryHistory does, one JSON line per session with --jsonl', async (t) => {
    const { root } = tempKb(t);
    assert.equal((await runCli(['repl'], root, REQUESTS.join('\n'))).status, 0);
    const lines = async (...args: string[]): Promise<string[]> => {
      const run = await runCli(['history', ...args, '--jsonl'], root);
      assert.equal(run.status, 0, run.stderr);
      return run.stdout.trim() === ''
        ? []
        : run.stdout
            .trim()
            .split('\n')
            .map((line) => (JSON.parse(line) as { sessionId: string }).sessionId);
    };
    assert.deepEqual(await lines('--agents'), ['Copilot-20260410T090000Z-refactor-session', 'Codex-20260409T120001Z-implement-auth']);
    assert.deepEqual(await lines('--status', 'in_progress', '--text', 'tokenservice'), ['Codex-20260409T120001Z-implement-auth'], '--status implies --agents');
    assert.deepEqual(await lines('--agents', '--until', '2026-04-09'), ['Codex-20260409T120001Z-implement-auth']);
    assert.deepEqual(await lines('--agents', '--since', '1d', '--agent', 'Copilot'), ['Copilot-20260410T090000Z-refactor-session']);
    assert.deepEqual(await lines('--all', '--model', 'none'), []);
    const bad = await runCli(['history', '--agents', '--since', 'yesterday'], root);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--since 'yesterday' is not a time\. Give --since as an age such as 30m/);
    const both = await runCli(['history', '--json', '--jsonl'], root);
    assert.equal(both.status, 2);
  });

  it("filters the project's logged sessions by since, until, tag and text", async (t) => {
    const { root } = tempKb(t);
    const entry = path.join(root, 'projects/demo/sessions.md');
    fs.mkdirSync(path.dirname(entry), { recursive: true });
    fs.writeFileSync(
      entry,
      [
        '---',
        'title: demo Sessions',
        'tags:',
        '  - demo',
        '  - sessions',
        "created: '2020-01-01T10:00:00Z'",
        '---',
        '',
        '# Session Log',
        '',
        'Session notes for demo.',
        '',
        '## 2020-01-01 10:00 UTC',
        '',
        '#legacy',
        '',
        'Set up the old build.',
        '',
        '## 2026-04-09 12:00 UTC',
        '',
        '#auth #security',
        '',
        'Fixed the login timeout.',
        '',
        '## Notes without a time',
        '',
        'Loose notes about the login.',
        '',
      ].join('\n'),
    );
    const headings = async (...args: string[]): Promise<string[]> => {
      const run = await runCli(['history', ...args, '--jsonl'], root);
      assert.equal(run.status, 0, run.stderr);
      return run.stdout.trim() === ''
        ? []
        : run.stdout
            .trim()
            .split('\n')
            .map((line) => (JSON.parse(line) as { heading: string }).heading);
    };
    assert.deepEqual(await headings(), ['Notes without a time', '2026-04-09 12:00 UTC', '2020-01-01 10:00 UTC']);
    assert.deepEqual(await headings('--since', '2021-01-01'), ['2026-04-09 12:00 UTC']);
    assert.deepEqual(await headings('--until', '2020-01-01'), ['2020-01-01 10:00 UTC']);
    assert.deepEqual(await headings('--tag', 'security'), ['2026-04-09 12:00 UTC']);
    assert.deepEqual(await headings('--tag', 'demo', '--limit', '1', '--offset', '1'), ['2026-04-09 12:00 UTC'], 'an entry tag is on every session');
    assert.deepEqual(await headings('--text', 'LOGIN'), ['Notes without a time', '2026-04-09 12:00 UTC']);
    const json = JSON.parse((await runCli(['history', '--text', 'login', '--json'], root)).stdout) as { totalCount: number };
    assert.equal(json.totalCount, 2);
  });
});

describe('sessionlog resume and follow-ups', () => {
  it('prints where the work left off (Markdown or JSON, within --max-tokens), lists follow-ups and ticks one', async (t) => {
    const { root } = tempKb(t);
    const logged = await runCli(
      ['log', '-m', 'Parser half done', '--follow-up', 'Add tokenizer tests', '--follow-up', 'Profile it', '--next', 'Pick up the tokenizer'],
      root,
    );
    assert.equal(logged.status, 0, logged.stderr);
    assert.equal((await runCli(['repl'], root, REQUESTS.join('\n'))).status, 0);

    const resume = await runCli(['resume'], root);
    assert.equal(resume.status, 0, resume.stderr);
    assert.match(resume.stdout, /## Next session[\s\S]*Pick up the tokenizer/);
    assert.match(resume.stdout, /## Turns left in progress[\s\S]*req-20260409T120005Z-tests/);
    assert.match(resume.stdout, /- \[ \] Add tokenizer tests/);
    const json = JSON.parse((await runCli(['resume', '--json', '--max-tokens', '500'], root)).stdout) as {
      text: string;
      openFollowUps: unknown[];
      turnsInProgress: unknown[];
    };
    assert.equal(json.openFollowUps.length, 2);
    assert.equal(json.turnsInProgress.length, 1);
    assert.ok(json.text.length <= 2000);

    const list = await runCli(['follow-ups'], root);
    assert.equal(list.stdout.trim().split('\n').length, 2);
    assert.match(list.stdout, /^\[ \] Add tokenizer tests/);
    const done = await runCli(['follow-ups', 'done', 'Add', 'tokenizer', 'tests'], root);
    assert.equal(done.status, 0, done.stderr);
    assert.match(done.stdout, /^Done: Add tokenizer tests/);
    assert.match((await runCli(['follow-ups'], root)).stdout, /^\[ \] Profile it  \([^)]*sessions\.md:\d+\)\n?$/);
    assert.equal((JSON.parse((await runCli(['follow-ups', '--all', '--json'], root)).stdout) as { totalCount: number }).totalCount, 2);
    const missing = await runCli(['follow-ups', 'done', 'Nothing like it'], root);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /No follow-up "Nothing like it".*"Profile it"/);
    assert.equal((await runCli(['follow-ups', 'done', 'Add tokenizer tests', '--undo'], root)).status, 0);
    assert.match((await runCli(['follow-ups'], root)).stdout, /Add tokenizer tests/);
  });
});
