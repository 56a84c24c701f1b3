/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import type { SetUpAgentLoggingResult } from '../../src/extension/commands/setUpAgentLogging';
import { is, labelOf, sessionRows, tempDir, useKnowledgeBase, waitFor, workspaceFolder } from './helpers';

/** Runs a hook command line as the agent would, through the shell, with a payload on stdin. */
function runHook(command: string, cwd: string, payload: Record<string, unknown>, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...env } });
    child.on('error', reject);
    child.on('close', resolve);
    child.stdin.end(JSON.stringify(payload));
  });
}

describe('Session: Set Up Agent Logging', function () {
  this.timeout(60_000);
  let kb: string;
  const created: string[] = [];

  before(async () => {
    kb = tempDir('sessionlog-agents-');
    await useKnowledgeBase(kb);
  });
  after(async () => {
    for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
    await useKnowledgeBase(undefined);
  });

  it('shows the change as a diff, installs the hooks on confirmation, and the session they capture shows live in the Sessions view, marked with its agent', async () => {
    const cwd = workspaceFolder().uri.fsPath;
    created.push(path.join(cwd, '.claude'));
    const result = await vscode.commands.executeCommand<SetUpAgentLoggingResult>('sessionlog.setUpAgentLogging', {
      agent: 'claude-code',
      scope: 'project',
      confirm: true,
    });
    assert.ok(result?.changed);
    assert.equal(result.file, path.join(cwd, '.claude/settings.json').replace(/\\/g, '/'));
    assert.match(result.diff, /^\+ +"command": ".*hook claude-code",$/m);
    const shown = vscode.window.visibleTextEditors.find((editor) => editor.document.languageId === 'diff');
    assert.ok(shown, 'the diff is shown before anything is written');
    assert.match(shown.document.getText(), /hook claude-code/);

    const settings = JSON.parse(fs.readFileSync(result.file, 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
    const command = settings.hooks.UserPromptSubmit![0]!.hooks[0]!.command;
    const again = await vscode.commands.executeCommand<SetUpAgentLoggingResult>('sessionlog.setUpAgentLogging', {
      agent: 'claude-code',
      scope: 'project',
      confirm: true,
    });
    assert.equal(again?.changed, false, 'a second time changes nothing');

    // The hook as Claude Code runs it (from another folder); node may not be on PATH in the test host: use its own.
    const runnable = command.replace(/^node /, `"${process.execPath}" `);
    const status = await runHook(
      runnable,
      tempDir('sessionlog-hook-cwd-'),
      {
        session_id: 'vscode-0001',
        cwd,
        hook_event_name: 'UserPromptSubmit',
        prompt: 'Refactor the tree view',
      },
      { MEMEX_KB_ROOT: kb },
    );
    assert.equal(status, 0);
    const row = await waitFor('the captured session in the Sessions view', async () => {
      const found = (await sessionRows(4)).find((candidate) => is(candidate, 'agent') && labelOf(candidate.item) === 'Refactor the tree view');
      if (!found) throw new Error('not yet');
      return found;
    });
    assert.match(String(row.item.description), /^ClaudeCode · /, 'marked with its agent');

    // A subagent's session is nested under its parent's.
    const away = tempDir('sessionlog-hook-cwd-');
    for (const event of [{ hook_event_name: 'SubagentStart' }, { hook_event_name: 'SubagentStop', last_assistant_message: 'Mapped the tree view code.' }]) {
      assert.equal(
        await runHook(runnable, away, { session_id: 'vscode-0001', cwd, agent_id: 'agent-7', agent_type: 'Explore', ...event }, { MEMEX_KB_ROOT: kb }),
        0,
      );
    }
    const nested = await waitFor('the subagent under its parent', async () => {
      const rows = await sessionRows(5);
      const parent = rows.find((candidate) => is(candidate, 'agent') && labelOf(candidate.item) === 'Refactor the tree view');
      const child = rows.find((candidate) => is(candidate, 'agent') && labelOf(candidate.item) === 'Explore subagent');
      // SubagentStop completes the child: wait for the view to show it, not only for the child to appear.
      if (!parent || !child || !String(parent.item.description).includes('1 subagent') || !/· completed ·/.test(String(child.item.description))) {
        throw new Error('not yet');
      }
      return { parent, child };
    });
    assert.equal(nested.child.depth, nested.parent.depth + 1, 'one level under the parent');
    assert.match(String(nested.child.item.description), /^ClaudeCode subagent · completed · 1 turn$/);
  });

  it('is a step of the walkthrough', () => {
    const manifest = vscode.extensions.getExtension('sessionlog.sessionlog')!.packageJSON as {
      contributes: { walkthroughs: { steps: { id: string; description: string; completionEvents: string[] }[] }[] };
    };
    const step = manifest.contributes.walkthroughs[0]!.steps.find((item) => item.id === 'agents');
    assert.ok(step);
    assert.match(step.description, /\(command:sessionlog\.setUpAgentLogging\)/);
    assert.deepEqual(step.completionEvents, ['onCommand:sessionlog.setUpAgentLogging']);
  });
});
