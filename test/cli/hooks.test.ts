/**
 * Agents log themselves: `hooks install` writes the agent's configuration, and each hook's
 * command line, run the way the agent runs it (through the shell, from another folder, with
 * the agent's environment and its documented payload on stdin), leaves the Markdown a person
 * reads: the agent session file and a summary in the project's entry.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { memexEntryProblems } from '../support/memexEntry';
import { FIXTURES } from '../support/paths';
import { tempKb } from '../support/files';
import { cli, elsewhere, installedCommands, payloads, type Run, sessionFiles, sh } from '../support/hooks';

const TRANSCRIPTS = path.join(FIXTURES, 'transcripts', 'claude-code');

/** The transcript's tool calls by name, with their ids and inputs (a hook reports the same ids). */
function toolUses(file: string): { id: string; name: string; input: Record<string, unknown> }[] {
  const uses: { id: string; name: string; input: Record<string, unknown> }[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const item = JSON.parse(line) as { type: string; message?: { content?: unknown } };
    if (item.type !== 'assistant' || !Array.isArray(item.message?.content)) continue;
    for (const block of item.message.content as { type: string; id: string; name: string; input: Record<string, unknown> }[]) {
      if (block.type === 'tool_use') uses.push({ id: block.id, name: block.name, input: block.input });
    }
  }
  return uses;
}

function quiet(run: Run, what: string): void {
  assert.equal(run.status, 0, `${what} exits 0`);
  assert.equal(run.stdout, '', `${what} prints nothing the agent would read`);
  assert.equal(run.stderr, '', `${what} writes nothing to stderr`);
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].length;
}

describe('sessionlog hook claude-code, as Claude Code runs the installed hooks', () => {
  it("logs a whole session: resume context at start, prompts, parallel edits, a Ctrl+C'd turn superseded, answers from the transcript, subagent, end and summary", async (t) => {
    const { root, sessionsDir } = tempKb(t);
    assert.equal((await cli(['log', '-m', 'Set up the math utils', '--next', 'Add multiply_numbers next'], root)).status, 0);
    const install = await cli(['hooks', 'install', 'claude-code'], root);
    assert.equal(install.status, 0, install.stderr);
    assert.match(install.stdout, /\.claude\/settings\.local\.json/);
    assert.match(install.stdout, /absolute path \(no sessionlog on your PATH\)/, 'says which command it wrote');
    const commands = installedCommands(path.join(root, '.claude/settings.local.json'));
    assert.deepEqual(
      [...commands.keys()],
      ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'Stop', 'SubagentStart', 'SubagentStop', 'PreCompact', 'SessionEnd'],
    );

    const away = elsewhere(t);
    const session = 'c0ffee00-1111-2222-3333-444455556666';
    const hello = path.join(TRANSCRIPTS, 'hello-world-script.jsonl');
    const coverage = path.join(TRANSCRIPTS, 'coverage-test-fix.jsonl');
    const p = payloads('claude-code', { cwd: root, transcript: hello, session });
    const fire = (event: string, payload: Record<string, unknown>) => sh(commands.get(event)!, away, JSON.stringify(payload), { CLAUDE_PROJECT_DIR: root });
    const tool = (use: { id: string; name: string; input: Record<string, unknown> }, file?: string) =>
      fire('PostToolUse', {
        ...p['PostToolUse:Edit'],
        tool_name: use.name,
        tool_use_id: use.id,
        tool_input: file ? { ...use.input, file_path: path.join(root, file) } : use.input,
        tool_response: use.name === 'Write' ? { type: 'create' } : {},
      });

    const start = await fire('SessionStart', p.SessionStart!);
    assert.equal(start.status, 0);
    const context = (JSON.parse(start.stdout) as { hookSpecificOutput: { hookEventName: string; additionalContext: string } }).hookSpecificOutput;
    assert.equal(context.hookEventName, 'SessionStart');
    assert.match(context.additionalContext, /Set up the math utils/);
    assert.match(context.additionalContext, /Add multiply_numbers next/);

    // Turn 1: the prompt of the real transcript, its Write and Bash reported by hooks, the answer read from it at Stop.
    const [write, bash] = toolUses(hello);
    quiet(
      await fire('UserPromptSubmit', { ...p.UserPromptSubmit, prompt: 'Write a shell script called hello.sh that prints "Hello world" and run it.' }),
      'UserPromptSubmit',
    );
    quiet(await tool(write!, 'hello.sh'), 'PostToolUse Write');
    quiet(await tool(bash!), 'PostToolUse Bash');
    quiet(await fire('PostToolUse', p['PostToolUse:WebFetch']!), 'PostToolUse WebFetch');
    quiet(await fire('Stop', { ...p.Stop, transcript_path: hello }), 'Stop');

    // Turn 2: Ctrl+C'd after a command, so no Stop ever comes.
    quiet(await fire('UserPromptSubmit', { ...p.UserPromptSubmit, prompt: 'Now refactor everything' }), 'UserPromptSubmit 2');
    quiet(await fire('PostToolUse', p['PostToolUse:Bash']!), 'PostToolUse 2');

    // Turn 3 supersedes it: two edits in parallel, a subagent, a compaction; the rest of the work only in the transcript.
    const uses = toolUses(coverage);
    const edits = uses.filter((use) => use.name === 'Edit');
    quiet(
      await fire('UserPromptSubmit', {
        ...p.UserPromptSubmit,
        prompt: 'Add a function called multiply_numbers(a: int, b: int) -> int\nthat multiplies two numbers together.',
      }),
      'UserPromptSubmit 3',
    );
    const parallel = await Promise.all([
      tool(edits[0]!, 'src/math_utils.py'),
      tool(edits[1]!, 'tests/test_math_utils.py'),
      tool(edits[0]!, 'src/math_utils.py'),
    ]);
    parallel.forEach((run, i) => quiet(run, `parallel PostToolUse ${i}`));
    quiet(await fire('SubagentStart', p.SubagentStart!), 'SubagentStart');
    quiet(await fire('PostToolUse', p['PostToolUse:Subagent']!), 'subagent PostToolUse');
    quiet(await fire('SubagentStop', p.SubagentStop!), 'SubagentStop');
    quiet(await fire('PreCompact', p.PreCompact!), 'PreCompact');
    const stop = { ...p.Stop, transcript_path: coverage };
    quiet(await fire('Stop', stop), 'Stop 3');
    quiet(await fire('Stop', stop), 'the same Stop retried');
    quiet(await fire('SessionEnd', p.SessionEnd!), 'SessionEnd');

    const files = sessionFiles(sessionsDir);
    const main = files.find((name) => /^ClaudeCode-\d{8}T\d{6}Z-c0ffee00-1111-2222-3333-444455556666\.md$/.test(name));
    const sub = files.find((name) => /^ClaudeCode-\d{8}T\d{6}Z-c0ffee00-1111-2222-3333-444455556666-agent-abc123\.md$/.test(name));
    assert.ok(main, `the session is named after Claude Code's session id: ${files.join(', ')}`);
    assert.ok(sub, `the subagent has its own session: ${files.join(', ')}`);
    const text = fs.readFileSync(path.join(sessionsDir, main), 'utf8');
    assert.match(text, /^title: Write a shell script called hello\.sh that prints "Hello world" and run it\.$/m);
    assert.match(text, /^model: claude-opus-4-5-20251101$/m);
    assert.match(text, /^sessionStatus: completed$/m);
    assert.deepEqual(memexEntryProblems(text), [], 'a valid memex entry');
    assert.match(text, /^turnCount: 3$/m);
    assert.match(text, /^## Turn 1 · Write a shell script called hello\.sh/m);
    assert.equal(count(text, /create · completed · `hello\.sh`/), 1, 'the Write reported by the hook is not added again from the transcript');
    assert.equal(count(text, /^> \$ chmod \+x/m), 1, 'nor the Bash command');
    assert.match(text, /web_reference · completed — https:\/\/docs\.python\.org\/3\/library\/math\.html/);
    assert.match(text, /\*\*Response\*\*\n\n> I have fully completed the task\./, 'turn 1 completes with the answer from the transcript');
    assert.match(text, /^## Turn 2 · Now refactor everything$/m);
    assert.match(text, /> \$ npm test/);
    assert.match(
      text,
      /### Failed · [^\n]+\n\n\*\*Error code:\*\* `superseded`\n\n\*\*Error\*\*\n\n> Superseded by turn req-\d{8}T\d{6}Z-add-a-function-called-multiply-3: it began while this turn was still in progress\./,
    );
    assert.match(text, /^## Turn 3 · Add a function called multiply_numbers\(a: int, b: int\) -> int$/m);
    assert.match(text, /^> that multiplies two numbers together\.$/m, 'the whole prompt is kept, the title is its first line');
    assert.equal(count(text, /edit · completed · `src\/math_utils\.py`/), 1, 'a parallel edit reported twice is recorded once');
    assert.equal(count(text, /edit · completed · `tests\/test_math_utils\.py`/), 1);
    assert.equal(count(text, /edit · completed · `\.gitignore`/), 1, 'what no hook reported is taken from the transcript at Stop');
    assert.match(text, /commit · completed — git add src\/math_utils\.py tests\/test_math_utils\.py && git commit/);
    assert.match(text, /Subagent Explore finished \(session ClaudeCode-\d{8}T\d{6}Z-c0ffee00-[\w-]+-agent-abc123\): Found the notes and updated them\./);
    assert.match(text, /The agent compacted its context \(manual\)\./);
    assert.match(text, /> The `\.gitignore` was already committed/);
    assert.equal(count(text, /^### Completed · /m), 2, 'two turns completed; the retried Stop changed nothing');
    assert.match(text, /^## Session closed · .*\n\n> Ended by Claude Code: prompt_input_exit\.$/m);

    const subText = fs.readFileSync(path.join(sessionsDir, sub), 'utf8');
    assert.match(subText, /^title: Explore subagent$/m);
    assert.match(subText, new RegExp(`^parentSessionId: ${main.replace(/\.md$/, '')}$`, 'm'), 'the subagent names its parent session');
    assert.match(subText, /edit · completed · `docs\/notes\.md`/);
    assert.match(subText, /> Found the notes and updated them\./);
    assert.match(subText, /^sessionStatus: completed$/m);
    assert.deepEqual(memexEntryProblems(subText), [], 'a valid memex entry');

    const entry = fs.readFileSync(path.join(root, 'projects/demo/sessions.md'), 'utf8');
    assert.match(
      entry,
      /^Claude Code session: Write a shell script called hello\.sh that prints "Hello world" and run it\. \(3 turns: 2 completed, 1 failed; claude-opus-4-5-20251101\)\.$/m,
    );
    assert.match(entry, /^- Now refactor everything: failed \(superseded\)$/m);
    assert.match(entry, /^- Add a function called multiply_numbers\(a: int, b: int\) -> int: The `\.gitignore` was already committed/m);
    assert.match(entry, /^#agent-session #claude-code$/m);
    assert.match(entry, new RegExp(`^Related: \\[\\[projects/demo/agent-sessions/${main.replace(/\./g, '\\.')}\\]\\]$`, 'm'));
    assert.match(entry, /^- `src\/math_utils\.py`$/m, 'files touched are listed');
    assert.ok(!fs.existsSync(path.join(root, '.sessionlog/hooks.log')), 'nothing went wrong');
  });
});
