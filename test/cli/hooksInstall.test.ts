/**
 * `sessionlog hooks install|uninstall|status` on real files: merged into what is there (other
 * hooks and settings, the file's own indentation and comments kept), idempotent, a dry run
 * that writes nothing, an uninstall that gives back the file as it was, and a malformed file
 * never overwritten.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempKb } from '../support/files';
import { cli, elsewhere } from '../support/hooks';

const EXISTING = `{
    // the team's own settings
    "permissions": { "allow": ["Bash(npm test)"] },
    "hooks": {
        "PostToolUse": [
            {
                "matcher": "Edit|Write",
                "hooks": [{ "type": "command", "command": "npx prettier --write \\"$CLAUDE_FILE_PATHS\\"" }]
            }
        ]
    },
    "model": "opus"
}
`;

describe('sessionlog hooks install, uninstall and status', () => {
  it('merges into an existing Claude Code settings file, keeps everything else and its formatting, twice changes nothing, uninstall restores it', async (t) => {
    const { root } = tempKb(t);
    const file = path.join(root, '.claude/settings.json');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, EXISTING);

    const dry = await cli(['hooks', 'install', 'claude-code', '--scope', 'project', '--dry-run'], root);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^--- .*\.claude\/settings\.json\n\+\+\+ .*\.claude\/settings\.json$/m);
    assert.match(dry.stdout, /^\+ +"command": "node \\".*cli\.js\\" hook claude-code",$/m);
    assert.match(dry.stdout, /dry run: nothing written/);
    assert.equal(fs.readFileSync(file, 'utf8'), EXISTING, 'a dry run writes nothing');

    const first = await cli(['hooks', 'install', 'claude-code', '--scope', 'project'], root);
    assert.equal(first.status, 0, first.stderr);
    const after = fs.readFileSync(file, 'utf8');
    assert.ok(
      after.startsWith('{\n    // the team\'s own settings\n    "permissions": { "allow": ["Bash(npm test)"] },'),
      'comments and untouched lines kept as they were',
    );
    assert.match(after, /^ {4}"model": "opus"$/m);
    assert.match(after, /"matcher": "Edit\|Write",\n {16}"hooks": \[\{ "type": "command", "command": "npx prettier/, 'the other PostToolUse hook stays');
    assert.match(after, /^ {8}"SessionStart": \[$/m, "new keys in the file's four-space indentation");
    const settings = parseJsonc(after) as { hooks: Record<string, { matcher?: string; hooks: { command: string; async?: boolean; timeout: number }[] }[]> };
    assert.equal(settings.hooks.PostToolUse!.length, 2);
    assert.equal(settings.hooks.PostToolUse![1]!.matcher, '*');
    assert.equal(settings.hooks.PostToolUse![1]!.hooks[0]!.async, true, "tool use runs asynchronously: no latency in the agent's loop");
    assert.equal(settings.hooks.Stop![0]!.hooks[0]!.async, undefined, 'Stop runs in line');

    const second = await cli(['hooks', 'install', 'claude-code', '--scope', 'project'], root);
    assert.match(second.stdout, /already installed .* nothing changed/);
    assert.equal(fs.readFileSync(file, 'utf8'), after, 'running it twice changes nothing');

    const status = await cli(['hooks', 'status', '--json'], root);
    const rows = (JSON.parse(status.stdout) as { hooks: { agent: string; scope: string; state: string }[] }).hooks;
    assert.deepEqual(
      rows.filter((row) => row.agent === 'claude-code').map((row) => [row.scope, row.state]),
      [
        ['local', 'not installed'],
        ['project', 'installed'],
        ['user', 'not installed'],
      ],
    );

    const removed = await cli(['hooks', 'uninstall', 'claude-code', '--scope', 'project'], root);
    assert.equal(removed.status, 0, removed.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), EXISTING, 'uninstall removes exactly what install added');
    assert.match((await cli(['hooks', 'uninstall', 'claude-code', '--scope', 'project'], root)).stdout, /nothing to remove/);
  });

  it("a file of our own (Copilot's .github/hooks/sessionlog.json) is created and removed whole; Cursor's keeps the other hooks", async (t) => {
    const { root } = tempKb(t);
    assert.equal((await cli(['hooks', 'install', 'copilot'], root)).status, 0, 'Copilot has no personal file: the default is the project one');
    const copilot = path.join(root, '.github/hooks/sessionlog.json');
    assert.equal((JSON.parse(fs.readFileSync(copilot, 'utf8')) as { version: number }).version, 1);
    await cli(['hooks', 'uninstall', 'copilot'], root);
    assert.ok(!fs.existsSync(copilot), 'the file, which held only our hooks, is gone');

    const cursor = path.join(root, '.cursor/hooks.json');
    fs.mkdirSync(path.dirname(cursor));
    const theirs = '{\n  "version": 1,\n  "hooks": {\n    "afterFileEdit": [{ "command": "./format.sh" }]\n  }\n}\n';
    fs.writeFileSync(cursor, theirs);
    await cli(['hooks', 'install', 'cursor'], root);
    const config = JSON.parse(fs.readFileSync(cursor, 'utf8')) as { hooks: Record<string, { command: string }[]> };
    assert.deepEqual(
      config.hooks.afterFileEdit!.map((hook) => hook.command.endsWith('hook cursor') || hook.command),
      ['./format.sh', true],
    );
    await cli(['hooks', 'uninstall', 'cursor'], root);
    assert.equal(fs.readFileSync(cursor, 'utf8'), theirs);
  });

  it('a malformed config is never overwritten: the error names the file and the line; unknown agents and scopes are usage errors', async (t) => {
    const { root } = tempKb(t);
    const file = path.join(root, '.claude/settings.local.json');
    fs.mkdirSync(path.dirname(file));
    const broken = '{\n  "hooks": {\n    "Stop": [\n  }\n';
    fs.writeFileSync(file, broken);
    const run = await cli(['hooks', 'install', 'claude-code'], root);
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /^sessionlog hooks: .*\.claude\/settings\.local\.json is not valid JSON \(line 4: [A-Za-z]+\); it was left as it is\. Fix the file by hand/,
    );
    assert.equal(fs.readFileSync(file, 'utf8'), broken);
    const status = await cli(['hooks', 'status'], root);
    assert.match(status.stdout, /^claude-code +local +unreadable +.*settings\.local\.json\n {2}.*is not valid JSON/m);

    const unknown = await cli(['hooks', 'install', 'windsurf'], root);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown agent 'windsurf': use one of claude-code, codex, gemini, copilot, cursor\./);
    const scope = await cli(['hooks', 'install', 'codex', '--scope', 'local'], root);
    assert.match(scope.stderr, /Codex has no local hook file: use --scope project or user\./);
  });

  it('--scope user writes in the home folder; a sessionlog on PATH is written as `sessionlog`, which survives npm moving; init --agents sets up .kbcontext and hooks in one step', async (t) => {
    const { root } = tempKb(t);
    const home = elsewhere(t);
    const bin = elsewhere(t);
    fs.writeFileSync(path.join(bin, 'sessionlog'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const run = await cli(['hooks', 'install', 'codex', '--scope', 'user'], root, '', { HOME: home, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /They run: sessionlog hook codex \(sessionlog found on your PATH\)\./);
    assert.match(run.stdout, /codex_hooks = true/);
    const config = JSON.parse(fs.readFileSync(path.join(home, '.codex/hooks.json'), 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
    assert.equal(config.hooks.Stop![0]!.hooks[0]!.command, 'sessionlog hook codex');

    const project = elsewhere(t);
    const init = await cli(['init', '--project', 'shop', '--primary', 'projects/shop', '--agents', 'claude-code,codex'], project);
    assert.equal(init.status, 0, init.stderr);
    assert.ok(fs.existsSync(path.join(project, '.kbcontext')));
    assert.ok(fs.existsSync(path.join(project, '.claude/settings.local.json')));
    assert.ok(fs.existsSync(path.join(project, '.codex/hooks.json')));
    assert.match(init.stdout, /Installed Claude Code hooks/);
    void root;
  });
});

/** JSON with comments, as the settings file allows. */
function parseJsonc(text: string): unknown {
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''));
}
