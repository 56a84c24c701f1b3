/**
 * Codex, GitHub Copilot, Cursor and Gemini CLI: each agent's documented events through the
 * hooks `hooks install` wrote, run from another folder; and what a hook must never do
 * (print, fail, record twice, record what the person opted out of).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempKb } from '../support/files';
import { cli, elsewhere, installedCommands, payloads, sessionFiles, sh } from '../support/hooks';

async function installed(t: { after(fn: () => void): void }, agent: string, scope: string, file: string) {
  const kb = tempKb(t);
  const install = await cli(['hooks', 'install', agent, '--scope', scope], kb.root);
  assert.equal(install.status, 0, install.stderr);
  const commands = installedCommands(path.join(kb.root, file));
  const away = elsewhere(t);
  const fire = async (event: string, payload: Record<string, unknown>, env: Record<string, string> = {}) => {
    const command = commands.get(event);
    assert.ok(command, `a hook for ${event} in ${file}: ${[...commands.keys()].join(', ')}`);
    const run = await sh(command, away, JSON.stringify(payload), env);
    assert.equal(run.status, 0, `${event} exits 0`);
    assert.equal(run.stderr, '', `${event}: nothing on stderr`);
    return run;
  };
  return { ...kb, commands, fire };
}

function onlySession(dir: string): string {
  const files = sessionFiles(dir);
  assert.equal(files.length, 1, files.join(', '));
  return fs.readFileSync(path.join(dir, files[0]!), 'utf8');
}

describe('sessionlog hook for each agent, through its installed configuration', () => {
  it('codex: .codex/hooks.json; a prompt, a command, an apply_patch, the answer from Stop, resume context at start', async (t) => {
    const { root, sessionsDir, commands, fire } = await installed(t, 'codex', 'project', '.codex/hooks.json');
    assert.deepEqual([...commands.keys()], ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'Stop', 'PreCompact']);
    assert.equal((await cli(['log', '-m', 'Earlier: wired the env var'], root)).status, 0);
    const p = payloads('codex', { cwd: root, session: '019e1625-789d-76c0-80ab-3724b5ddb799' });
    const start = await fire('SessionStart', p.SessionStart!);
    assert.match(
      (JSON.parse(start.stdout) as { hookSpecificOutput: { additionalContext: string } }).hookSpecificOutput.additionalContext,
      /Earlier: wired the env var/,
    );
    for (const event of ['UserPromptSubmit', 'PostToolUse:Bash', 'PostToolUse:apply_patch', 'PreCompact', 'Stop']) {
      assert.equal((await fire(event.split(':')[0]!, p[event]!)).stdout, '', `${event} prints nothing`);
    }
    const text = onlySession(sessionsDir);
    assert.match(text, /^agent: Codex$/m);
    assert.match(text, /^model: gpt-5\.4$/m);
    assert.match(text, /^## Turn 1 · let's update the default context compaction to 90 in env var$/m);
    assert.match(text, /> \$ rg -n compaction src/);
    assert.match(text, /edit · completed · `src\/plugin\.ts`/);
    assert.match(text, /create · completed · `src\/compaction\.ts`/);
    assert.match(text, /The agent compacted its context \(auto\)\./);
    assert.match(text, /### Completed · [^\n]+\n\n\*\*Response\*\*\n\n> Implemented the default context compaction setting as `threshold: 0\.9`\./);
  });

  it('copilot: .github/hooks/sessionlog.json names each event on the command line; camelCase payloads, JSON-string toolArgs', async (t) => {
    const { sessionsDir, commands, fire, root } = await installed(t, 'copilot', 'project', '.github/hooks/sessionlog.json');
    const config = JSON.parse(fs.readFileSync(path.join(root, '.github/hooks/sessionlog.json'), 'utf8')) as {
      version: number;
      hooks: Record<string, { type: string; bash: string; powershell: string; timeoutSec: number }[]>;
    };
    assert.equal(config.version, 1);
    assert.equal(config.hooks.postToolUse![0]!.type, 'command');
    assert.match(config.hooks.postToolUse![0]!.powershell, / hook copilot postToolUse$/);
    assert.match(commands.get('userPromptSubmitted')!, / hook copilot userPromptSubmitted$/);
    const p = payloads('copilot', { cwd: root, session: 'a1b2c3d4-0000-4000-8000-000000000001' });
    for (const event of ['sessionStart', 'userPromptSubmitted', 'postToolUse:edit', 'postToolUse:create', 'postToolUse:bash', 'agentStop', 'sessionEnd']) {
      assert.equal((await fire(event.split(':')[0]!, p[event]!)).stdout, '', `${event} prints nothing (Copilot reads no output of these)`);
    }
    const text = onlySession(sessionsDir);
    assert.match(text, /^agent: Copilot$/m);
    assert.match(text, /^## Turn 1 · Add a health check endpoint$/m);
    assert.match(text, /^> Return 200 with the version$/m);
    assert.match(text, /edit · completed · `src\/server\.ts`/);
    assert.match(text, /create · completed · `src\/health\.ts`/);
    assert.match(text, /> \$ npm test/);
    assert.match(text, /^### Completed · /m);
    assert.match(text, /^## Session closed · /m);
    assert.match(
      fs.readFileSync(path.join(root, 'projects/demo/sessions.md'), 'utf8'),
      /^GitHub Copilot CLI and coding agent session: Add a health check endpoint \(1 turn: 1 completed\)\.$/m,
    );
  });

  it('cursor: .cursor/hooks.json; beforeSubmitPrompt answers {"continue":true}, the answer arrives in afterAgentResponse', async (t) => {
    const { sessionsDir, commands, fire, root } = await installed(t, 'cursor', 'project', '.cursor/hooks.json');
    assert.ok(commands.has('afterFileEdit') && commands.has('afterAgentResponse'));
    const p = payloads('cursor', { cwd: root, session: '668320d2-2fd8-4888-b33c-2a466fec86e7' });
    await fire('sessionStart', p.sessionStart!);
    assert.deepEqual(JSON.parse((await fire('beforeSubmitPrompt', p.beforeSubmitPrompt!)).stdout), { continue: true });
    for (const event of ['afterFileEdit', 'afterShellExecution', 'afterAgentResponse', 'stop', 'sessionEnd']) {
      assert.equal((await fire(event, p[event]!)).stdout, '');
    }
    const text = onlySession(sessionsDir);
    assert.match(text, /^agent: Cursor$/m);
    assert.match(text, /^model: claude-4\.5-sonnet$/m);
    assert.match(text, /edit · completed · `src\/main\.ts`/);
    assert.match(text, /dependency_add · completed — npm install express/);
    assert.match(text, /> Fixed: foo is now 2, and express is installed\./);
  });

  it('gemini: .gemini/settings.json; BeforeAgent, AfterTool and AfterAgent with its answer', async (t) => {
    const { sessionsDir, fire, root } = await installed(t, 'gemini', 'project', '.gemini/settings.json');
    const p = payloads('gemini', { cwd: root, session: 'f1e2d3c4-5b6a-4789-8abc-def012345678' });
    for (const event of ['SessionStart', 'BeforeAgent', 'AfterTool:replace', 'AfterTool:run_shell_command', 'AfterAgent', 'SessionEnd']) {
      await fire(event.split(':')[0]!, p[event]!);
    }
    const text = onlySession(sessionsDir);
    assert.match(text, /^agent: Gemini$/m);
    assert.match(text, /^## Turn 1 · Rename the config loader$/m);
    assert.match(text, /edit · completed · `src\/config\.ts`/);
    assert.match(text, /> \$ npm run build/);
    assert.match(text, /> Renamed loadConfig to readConfig everywhere\./);
  });
});

describe('what a hook must never do', () => {
  it('records a retried event once, and events fired concurrently all once', async (t) => {
    const { sessionsDir, fire, root } = await installed(t, 'claude-code', 'project', '.claude/settings.json');
    const p = payloads('claude-code', { cwd: root, session: 'retry-0001' });
    await fire('UserPromptSubmit', p.UserPromptSubmit!);
    await fire('UserPromptSubmit', p.UserPromptSubmit!);
    const edits = Array.from({ length: 6 }, (_, i) => ({
      ...p['PostToolUse:Edit'],
      tool_use_id: `toolu_${i}`,
      tool_input: { file_path: path.join(root, `src/f${i}.ts`) },
    }));
    await Promise.all([...edits, ...edits].map((payload) => fire('PostToolUse', payload)));
    const text = onlySession(sessionsDir);
    assert.match(text, /^turnCount: 1$/m, 'the prompt sent twice began one turn');
    for (let i = 0; i < 6; i++) assert.equal(text.split(`\`src/f${i}.ts\` — Edited`).length - 1, 1, `src/f${i}.ts recorded once`);
    assert.match(text, /^filesModifiedCount: 6$/m);
  });

  it('records nothing after a prompt that starts with #nolog, and nothing at all with SESSIONLOG_DISABLE=1; secrets in prompts are redacted', async (t) => {
    const { sessionsDir, fire, root } = await installed(t, 'claude-code', 'project', '.claude/settings.json');
    const p = payloads('claude-code', { cwd: root, session: 'privacy-0001' });
    await fire('UserPromptSubmit', { ...p.UserPromptSubmit, prompt: 'Deploy with token ghp_abcdefghijklmnopqrstuvwxyz0123456789' });
    await fire('Stop', { ...p.Stop, transcript_path: '' });
    await fire('UserPromptSubmit', { ...p.UserPromptSubmit, prompt: '#nolog my medical question' });
    await fire('PostToolUse', p['PostToolUse:Write']!);
    await fire('UserPromptSubmit', { ...p.UserPromptSubmit, prompt: 'and another private one' });
    const text = onlySession(sessionsDir);
    assert.match(text, /Deploy with token \[REDACTED:/);
    assert.doesNotMatch(text, /ghp_abcdefghijklmnopqrstuvwxyz/);
    assert.doesNotMatch(text, /medical|private one|factorial/);
    assert.match(text, /^turnCount: 1$/m);

    const other = payloads('claude-code', { cwd: root, session: 'disabled-0001' });
    await fire('UserPromptSubmit', other.UserPromptSubmit!, { SESSIONLOG_DISABLE: '1' });
    assert.equal(sessionFiles(sessionsDir).length, 1, 'SESSIONLOG_DISABLE=1: no session');
  });

  it('SESSIONLOG_CAPTURE leaves out what is not listed (here prompts and file paths)', async (t) => {
    const { sessionsDir, fire, root } = await installed(t, 'claude-code', 'project', '.claude/settings.json');
    const p = payloads('claude-code', { cwd: root, session: 'capture-0001' });
    const env = { SESSIONLOG_CAPTURE: 'answers,tools' };
    await fire('UserPromptSubmit', { ...p.UserPromptSubmit, prompt: 'Secret plan for the launch' }, env);
    await fire('PostToolUse', p['PostToolUse:Edit']!, env);
    const text = onlySession(sessionsDir);
    assert.match(text, /^## Turn 1 · Prompt 1$/m);
    assert.doesNotMatch(text, /Secret plan|math_utils/);
    assert.match(text, /edit · completed — edit of a file/);
  });

  it('outside any knowledge base does nothing; an unreadable payload or a stuck lock is one line in .sessionlog/hooks.log, exit 0, silent', async (t) => {
    const nowhere = elsewhere(t);
    const run = await cli(
      ['hook', 'claude-code'],
      nowhere,
      JSON.stringify({ session_id: 'x', cwd: nowhere, hook_event_name: 'UserPromptSubmit', prompt: 'hi' }),
    );
    assert.deepEqual([run.status, run.stdout, run.stderr], [0, '', '']);
    assert.deepEqual(fs.readdirSync(nowhere), [], 'nothing written where no knowledge base resolves');

    const { root, sessionsDir } = tempKb(t);
    const bad = await cli(['hook', 'claude-code'], root, '{ this is not json', { CLAUDE_PROJECT_DIR: root });
    assert.deepEqual([bad.status, bad.stdout, bad.stderr], [0, '', '']);
    const log = fs.readFileSync(path.join(root, '.sessionlog/hooks.log'), 'utf8');
    assert.match(log, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z claude-code: the payload on standard input is not a JSON object \(18 bytes\)\n$/);

    // A lock held by a live process for longer than the hook waits: it gives up quietly and says so.
    const p = payloads('claude-code', { cwd: root, session: 'locked-0001' });
    fs.mkdirSync(path.join(root, '.sessionlog/hooks'), { recursive: true });
    fs.writeFileSync(
      path.join(root, '.sessionlog/hooks/ClaudeCode-locked-0001.json.lock'),
      JSON.stringify({ pid: process.pid, host: os.hostname(), acquired: Date.now() }),
    );
    const started = Date.now();
    const stuck = await cli(['hook', 'claude-code'], root, JSON.stringify(p.UserPromptSubmit), { SESSIONLOG_HOOK_LOCK_MS: '1000' });
    assert.deepEqual([stuck.status, stuck.stdout, stuck.stderr], [0, '', '']);
    assert.ok(Date.now() - started < 20_000, "within the agent's timeout");
    assert.match(
      fs.readFileSync(path.join(root, '.sessionlog/hooks.log'), 'utf8'),
      /claude-code UserPromptSubmit locked-0001: lock_timeout: Timed out after 1000 ms/,
    );
    assert.deepEqual(sessionFiles(sessionsDir), []);
  });
});

describe('a session that never saw its end', () => {
  it('ends at the next session start once idle (summary in the entry, once), and a later prompt of it opens a new session', async (t) => {
    const { root, sessionsDir, fire } = await installed(t, 'claude-code', 'project', '.claude/settings.json');
    const left = payloads('claude-code', { cwd: root, session: 'left-0001' });
    await fire('UserPromptSubmit', left.UserPromptSubmit!);
    const entry = path.join(root, 'projects/demo/sessions.md');
    const summaries = () =>
      fs.existsSync(entry) ? fs.readFileSync(entry, 'utf8').split('session: Write a function to calculate the factorial').length - 1 : 0;

    // Not idle long enough by default (4 hours): nothing ends.
    await fire('SessionStart', payloads('claude-code', { cwd: root, session: 'next-0002' }).SessionStart!);
    assert.equal(summaries(), 0, 'a session active a moment ago is left open');
    assert.match(onlySession(sessionsDir), /^sessionStatus: in_progress$/m);

    const idle = { SESSIONLOG_HOOK_IDLE_HOURS: '0' };
    await Promise.all([
      fire('SessionStart', payloads('claude-code', { cwd: root, session: 'next-0003' }).SessionStart!, idle),
      fire('SessionStart', payloads('claude-code', { cwd: root, session: 'next-0004' }).SessionStart!, idle),
    ]);
    const ended = onlySession(sessionsDir);
    assert.match(ended, /^sessionStatus: completed$/m, 'the idle session is closed');
    assert.match(ended, /session_closed/, 'its turn left in progress ends failed');
    assert.equal(summaries(), 1, 'its summary reaches the entry once, though two sessions started at once');

    // A new session's id carries the second it opened in; an idle session ends hours after it opened.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await fire('UserPromptSubmit', { ...left.UserPromptSubmit!, prompt: 'Back again' });
    assert.equal(sessionFiles(sessionsDir).length, 2, 'the ended session is not written to again: a new one opens');
  });
});
