/**
 * `sessionlog import claude-code|codex`: real transcripts become agent sessions (turns with
 * prompts, answers, actions, times and the model); importing again changes nothing; a
 * transcript larger than the memory the process may use imports all the same.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CLI_MAIN, FIXTURES } from '../support/paths';
import { tempKb } from '../support/files';
import { cli, elsewhere, sessionFiles, sh } from '../support/hooks';

const TRANSCRIPTS = path.join(FIXTURES, 'transcripts');

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(sessionFiles(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
}

describe('sessionlog import', () => {
  it('claude-code: three real transcripts, one session each, with the prompt, the answer, the edits, the times and the model; again: unchanged', async (t) => {
    const { root, sessionsDir } = tempKb(t);
    const run = await cli(['import', 'claude-code', path.join(TRANSCRIPTS, 'claude-code')], root);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(
      run.stdout,
      /coverage-test-fix\.jsonl -> projects\/demo\/agent-sessions\/ClaudeCode-20260121T061938Z-c64cc478-3430-40fe-8e9c-4ee9986e9754\.md \(1 turn added\)/,
    );
    const files = snapshot(sessionsDir);
    assert.equal(Object.keys(files).length, 3);
    const coverage = files['ClaudeCode-20260121T061938Z-c64cc478-3430-40fe-8e9c-4ee9986e9754.md']!;
    assert.match(coverage, /^model: claude-opus-4-5-20251101$/m);
    assert.match(coverage, /^created: '2026-01-21T06:19:38'$/m, 'times come from the transcript');
    assert.match(coverage, /^turnCount: 1$/m, 'the Stop-hook continuation lines (isMeta) are not prompts');
    assert.match(
      coverage,
      /^## Turn 1 · Add a function called multiply_numbers\(a: int, b: int\) -> int that multiplies t…$/m,
      'the first line of the prompt, shortened',
    );
    assert.match(
      coverage,
      /^filesModified:\n {2}- src\/math_utils\.py\n {2}- tests\/test_math_utils\.py\n {2}- \.gitignore$/m,
      'the two parallel edits and the later one, relative to the project',
    );
    assert.match(coverage, /commit · completed — git add src\/math_utils\.py tests\/test_math_utils\.py && git commit/);
    assert.match(coverage, /### Completed · 2026-01-21T06:20:29Z\n\n\*\*Response\*\*\n\n> The `\.gitignore` was already committed/);
    const hello = Object.entries(files).find(([name]) => name.includes('de3b8b19'))![1];
    assert.match(hello, /create · completed · `hello\.sh` — Created hello\.sh/);

    const again = await cli(['import', 'claude-code', path.join(TRANSCRIPTS, 'claude-code')], root);
    assert.match(again.stdout, /\(0 turns added, 1 already there\)/);
    assert.deepEqual(snapshot(sessionsDir), files, 'importing again changes nothing');
  });

  it('codex: a real rollout: two turns, commands, apply_patch edits, web searches, answers from task_complete, the model from turn_context', async (t) => {
    const { root, sessionsDir } = tempKb(t);
    const run = await cli(['import', 'codex', path.join(TRANSCRIPTS, 'codex'), '--json'], root);
    assert.equal(run.status, 0, run.stderr);
    const [result] = JSON.parse(run.stdout) as { sessionId: string; turns: number; added: number; skippedLines: number }[];
    assert.deepEqual(
      [result!.sessionId, result!.turns, result!.added, result!.skippedLines],
      ['Codex-20260511T082655Z-019e1625-789d-76c0-80ab-3724b5ddb799', 2, 2, 0],
    );
    const text = snapshot(sessionsDir)[`${result!.sessionId}.md`]!;
    assert.match(text, /^model: gpt-5\.5$/m);
    assert.match(text, /^## Turn 1 · show tools$/m);
    assert.match(text, /^## Turn 2 · let's update the defailt context compart to 90 in env var$/m);
    assert.match(text, /edit · completed · `src\/agents\/plugins\/codemie-code\.plugin\.ts` — Edited/);
    assert.match(text, /web_reference · completed — OpenCode config compact context percentage/);
    assert.match(text, /^> \$ rg /m);
    assert.match(text, /### Completed · 2026-05-11T08:27:32Z\n\n\*\*Response\*\*\n\n> Available tool groups in this session:/);
    assert.match(text, /> Implemented the default context compaction setting as `threshold: 0\.9`/);
  });

  it('skips unreadable lines with a counted warning, and finishes a turn left unfinished when imported again', async (t) => {
    const { root, sessionsDir } = tempKb(t);
    const away = elsewhere(t);
    const source = fs.readFileSync(path.join(TRANSCRIPTS, 'claude-code/hello-world-script.jsonl'), 'utf8').split('\n').filter(Boolean);
    const cut = source.findIndex((line) => line.includes('"tool_use"') && line.includes('"Bash"'));
    const file = path.join(away, 'live.jsonl');
    fs.writeFileSync(file, `${source.slice(0, cut).join('\n')}\n{ not json\n`);
    const first = await cli(['import', 'claude-code', file], root);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /live\.jsonl: 1 line could not be read and was skipped\./);
    let text = Object.values(snapshot(sessionsDir))[0]!;
    assert.match(text, /^currentTurnStatus: in_progress$/m, 'the agent is still at it: the turn stays open');
    fs.writeFileSync(file, `${source.join('\n')}\n`);
    const second = await cli(['import', 'claude-code', file], root);
    assert.match(second.stdout, /\(0 turns added, 1 finished\)/);
    text = Object.values(snapshot(sessionsDir))[0]!;
    assert.match(text, /^currentTurnStatus: completed$/m);
    assert.equal(text.split('Created hello.sh').length - 1, 1, 'what was imported before is not added again');
    assert.match(text, /> \$ chmod \+x/);
  });

  it('a 200 MB transcript imports in bounded memory (a 64 MB heap; the process never holds the file)', async (t) => {
    const { root, sessionsDir } = tempKb(t);
    const away = elsewhere(t);
    const file = path.join(away, 'big.jsonl');
    const fd = fs.openSync(file, 'w');
    const output = 'x'.repeat(100 * 1024);
    let size = 0;
    for (let turn = 0; size < 200 * 1024 * 1024; turn++) {
      const lines = [
        JSON.stringify({
          type: 'user',
          sessionId: 'big-1',
          cwd: '/work/big',
          timestamp: `2026-02-01T10:${String(turn % 60).padStart(2, '0')}:00.000Z`,
          message: { role: 'user', content: `Task ${turn}` },
        }),
      ];
      for (let call = 0; call < 100; call++) {
        lines.push(
          JSON.stringify({
            type: 'assistant',
            timestamp: '2026-02-01T10:00:01.000Z',
            message: {
              model: 'claude-test',
              content: [{ type: 'tool_use', id: `t${turn}-${call}`, name: 'Edit', input: { file_path: `/work/big/src/f${call % 5}.ts` } }],
            },
          }),
        );
        lines.push(
          JSON.stringify({
            type: 'user',
            timestamp: '2026-02-01T10:00:02.000Z',
            message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${turn}-${call}`, content: output }] },
          }),
        );
      }
      lines.push(
        JSON.stringify({
          type: 'assistant',
          timestamp: '2026-02-01T10:00:03.000Z',
          message: { model: 'claude-test', content: [{ type: 'text', text: `Done with task ${turn}.` }] },
        }),
      );
      const chunk = `${lines.join('\n')}\n`;
      fs.writeSync(fd, chunk);
      size += Buffer.byteLength(chunk);
    }
    fs.closeSync(fd);
    t.after(() => fs.rmSync(file, { force: true }));
    const script = `require(${JSON.stringify(CLI_MAIN)}).main(['import', 'claude-code', ${JSON.stringify(file)}]).then((code) => { process.stderr.write('maxRSS ' + process.resourceUsage().maxRSS + '\\n'); process.exitCode = code; })`;
    const run = await sh(`${JSON.stringify(process.execPath)} --max-old-space-size=64 -e ${JSON.stringify(script).replace(/\$/g, '\\$')}`, root, '');
    assert.equal(run.status, 0, run.stderr);
    const maxRss = Number(/maxRSS (\d+)/.exec(run.stderr)?.[1]) * 1024;
    assert.ok(maxRss < 160 * 1024 * 1024, `peak memory ${Math.round(maxRss / 1048576)} MB for a ${Math.round(size / 1048576)} MB transcript`);
    const text = Object.values(snapshot(sessionsDir))[0]!;
    assert.match(text, /^turnCount: 21$/m);
    assert.match(text, /> Done with task 20\./);
  });
});
