/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DecisionRecord } from '../../src/core/usecases/decisions';
import type { InitResult } from '../../src/core/usecases/initContext';
import type { ResumeContext } from '../../src/core/usecases/resume';
import type { SearchHit } from '../../src/core/usecases/search';
import type { SyncResult } from '../../src/core/usecases/sync';
import { TEST_COMMANDS } from '../../src/extension/chat/index';
import { COMMANDS } from '../../src/extension/commands/index';
import { SETTING_KEYS } from '../../src/extension/config';
import { cli, entryIn, git, read, removeTemps, services, sleep, tempDir, useKnowledgeBase, waitFor, workspaceFolder, write } from './helpers';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; key: string; mac?: string }[];
    configuration: { properties: Record<string, { markdownDescription?: string; description?: string }> };
    views: Record<string, { id: string }[]>;
    walkthroughs?: Walkthrough[];
  };
}

interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: { id: string; title: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[];
}

const COMMAND_IDS = COMMANDS.map((command) => command.id);

const extension = () => vscode.extensions.getExtension('sessionlog.sessionlog')!;
const manifest = () => extension().packageJSON as Manifest;

/** Runs a command that shows a quick pick, and accepts the pick's first row once it has rows. */
async function acceptFirst<T>(running: Thenable<T>): Promise<T> {
  let done = false;
  const result = Promise.resolve(running).finally(() => {
    done = true;
  });
  for (let attempt = 0; attempt < 100 && !done; attempt++) {
    await sleep(100);
    if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}

describe('commands', function () {
  this.timeout(30_000);
  let kb: string;

  before(async () => {
    kb = tempDir('sessionlog-commands-');
    await useKnowledgeBase(kb);
    const cwd = workspaceFolder().uri.fsPath;
    await cli(
      [
        'log',
        '-m',
        'Implemented the OAuth2 flow',
        '--tags',
        'auth',
        '--decision',
        'Used jose :: type-safe',
        '--follow-up',
        'Rotate refresh tokens',
        '--next',
        'Start with src/auth/refresh.ts',
      ],
      { cwd, env: { MEMEX_KB_ROOT: kb } },
    );
    await cli(['log', '-m', 'Wrote the README', '--tags', 'docs'], { cwd, env: { MEMEX_KB_ROOT: kb } });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await useKnowledgeBase(undefined);
    removeTemps();
  });

  it('are all contributed in category "Session", registered, with tree-only ones hidden from the palette', async () => {
    const { contributes } = manifest();
    const contributed = contributes.commands.map((command) => command.command);
    assert.deepEqual([...contributed].sort(), [...COMMAND_IDS].sort());
    for (const command of contributes.commands.filter((candidate) => (COMMAND_IDS as readonly string[]).includes(candidate.command))) {
      assert.equal(command.category, 'Session', `${command.command} has no category`);
      assert.match(command.command, /^sessionlog\.([a-zA-Z]+|(sessions|followUps|chat)\.[a-zA-Z]+)$/);
    }
    assert.equal(contributes.commands.find((command) => command.command === 'sessionlog.log')!.title, 'Log');
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMAND_IDS) assert.ok(registered.has(id), `${id} is not registered`);
    // Nothing else of ours is registered: no command defined outside the list, but the test-mode ones
    // and those VS Code makes for each contributed view.
    const views = Object.values(contributes.views)
      .flat()
      .map((view) => view.id);
    const viewCommand = (id: string) => views.some((view) => id.startsWith(`${view}.`) && !contributed.includes(id));
    const internal = Object.values(TEST_COMMANDS) as string[];
    const stray = [...registered].filter((id) => id.startsWith('sessionlog.') && !contributed.includes(id) && !internal.includes(id) && !viewCommand(id));
    assert.deepEqual(stray, []);
    for (const id of internal) assert.ok(registered.has(id), `${id} is not registered in test mode`);
    const hidden = new Set((contributes.menus.commandPalette ?? []).filter((item) => item.when === 'false').map((item) => item.command));
    for (const id of COMMAND_IDS.filter((candidate) => /^sessionlog\.(sessions|followUps|chat)\./.test(candidate))) {
      assert.ok(hidden.has(id), `${id} shows in the palette`);
    }
  });

  it('documents every setting', () => {
    const properties = manifest().contributes.configuration.properties;
    // Both ways: every setting the config module reads is contributed, and nothing else is.
    assert.deepEqual(
      Object.keys(properties)
        .filter((name) => name.startsWith('sessionlog.'))
        .sort(),
      SETTING_KEYS.map((key) => `sessionlog.${key}`).sort(),
    );
    for (const key of SETTING_KEYS) {
      const property = properties[`sessionlog.${key}`];
      assert.ok(property, `sessionlog.${key} is not contributed`);
      assert.ok((property.markdownDescription ?? property.description ?? '').length > 30, `sessionlog.${key} is not documented`);
    }
  });

  it('contributes the getting-started walkthrough: its pages ship, and every command it names is registered', async () => {
    const { contributes } = manifest();
    const walkthrough = contributes.walkthroughs?.find((candidate) => candidate.id === 'sessionlog.gettingStarted');
    assert.ok(walkthrough, 'no walkthrough sessionlog.gettingStarted');
    assert.equal(walkthrough.title, 'Get started with Session Log');
    assert.ok(walkthrough.description, 'the walkthrough has no description');
    assert.deepEqual(
      walkthrough.steps.map((step) => step.media.markdown),
      ['kbcontext', 'log', 'browse', 'agents', 'resume'].map((page) => `media/walkthrough/${page}.md`),
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const views = new Set(
      Object.values(contributes.views)
        .flat()
        .map((view) => view.id),
    );
    for (const step of walkthrough.steps) {
      assert.ok(step.title && step.description, `step ${step.id} has no title or description`);
      assert.ok(fs.existsSync(path.join(extension().extensionPath, step.media.markdown!)), `step ${step.id}: ${step.media.markdown} is missing`);
      const events = step.completionEvents ?? [];
      const commands = [
        ...events.flatMap((event) => /^onCommand:(.+)$/.exec(event)?.[1] ?? []),
        ...[...step.description.matchAll(/\(command:(?:toSide:)?([^)?\s]+)/g)].map((match) => match[1]!),
      ];
      for (const id of commands) assert.ok(registered.has(id), `step ${step.id} names ${id}, which is not registered`);
      for (const view of events.flatMap((event) => /^onView:(.+)$/.exec(event)?.[1] ?? [])) {
        assert.ok(views.has(view), `step ${step.id} waits for view ${view}, which is not contributed`);
      }
    }
    const completion = (id: string) => walkthrough.steps.find((step) => step.id === id)?.completionEvents ?? [];
    assert.ok(completion('kbcontext').includes('onCommand:sessionlog.createKbContext'));
    assert.ok(completion('log').includes('onCommand:sessionlog.log'));
    assert.ok(completion('browse').includes('onView:sessionlog.sessions'));
    assert.ok(completion('resume').includes('onCommand:sessionlog.resume'));
    assert.match(walkthrough.steps[0]!.description, /\[Create \.kbcontext\]\(command:sessionlog\.createKbContext\)/);
  });

  it('binds Quick Log to Shift+Alt+L (Ctrl+Cmd+L), which no default VS Code shortcut uses', async () => {
    const binding = manifest().contributes.keybindings.find((candidate) => candidate.command === 'sessionlog.quickLog');
    assert.deepEqual([binding?.key, binding?.mac], ['shift+alt+l', 'ctrl+cmd+l']);
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const editor = await waitFor('the default keybindings', () =>
      vscode.window.activeTextEditor?.document.uri.toString().includes('keybindings') ? vscode.window.activeTextEditor : undefined,
    );
    const text = editor.document.getText();
    assert.ok(text.length > 10_000, 'the default keybindings did not load');
    const entries = [...text.matchAll(/"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].map((match) => ({ key: match[1]!, command: match[2]! }));
    // The defaults are those of the workbench's platform: whichever of the two keys applies there is checked.
    const key = entries.find((entry) => entry.command === 'sessionlog.quickLog')?.key;
    assert.ok(key === binding?.key || key === binding?.mac, `Quick Log is listed on ${key}`);
    // Nor may a chord start with it: the key would then wait for the chord's second part.
    const clashes = entries.filter((entry) => (entry.key === key || entry.key.startsWith(`${key} `)) && entry.command !== 'sessionlog.quickLog');
    assert.deepEqual(clashes, [], `${key} is already bound to ${clashes.map((entry) => entry.command).join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('search: results follow the query, and Enter opens the entry at that session', async () => {
    const hit = await acceptFirst(vscode.commands.executeCommand<SearchHit | undefined>('sessionlog.search', { query: 'oauth2' }));
    assert.ok(hit, 'nothing was picked');
    assert.equal(hit.path, 'projects/demo/sessions.md');
    assert.match(hit.snippet, /OAuth2/);
    const editor = await waitFor('the entry to open', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath === entryIn(kb) ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(editor.selection.active.line + 1, hit.line);

    const newest = await acceptFirst(vscode.commands.executeCommand<SearchHit | undefined>('sessionlog.search', { query: 'readme' }));
    assert.equal(newest?.snippet, 'Wrote the README');
  });

  it("openEntry: opens the project's entry at its newest session", async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('sessionlog.openEntry');
    assert.equal(uri?.fsPath, entryIn(kb));
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.fsPath, entryIn(kb));
    assert.match(editor.document.lineAt(editor.selection.active.line + 2).text, /#docs/);
  });

  it('resume: the next-session context, open follow-ups and recent decisions', async () => {
    const running = vscode.commands.executeCommand<ResumeContext>('sessionlog.resume');
    await sleep(800);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const context = await running;
    assert.equal(context.next?.text, 'Start with src/auth/refresh.ts');
    assert.deepEqual(
      context.openFollowUps.map((item) => item.text),
      ['Rotate refresh tokens'],
    );
    assert.deepEqual(
      context.recentDecisions.map((item) => item.decision),
      ['Used jose'],
    );
    assert.equal(context.lastSessions[0]?.message, 'Wrote the README');
  });

  it('recordDecision: an ADR form, written as the next ADR-NNN', async () => {
    const answers = {
      title: 'Use JWT for authentication',
      context: 'Stateless API',
      decision: 'JWT with short-lived access tokens',
      rationale: 'Scales horizontally',
      alternatives: 'Session cookies; API keys',
      consequences: 'Refresh flow needed',
      status: 'accepted',
    };
    const first = await vscode.commands.executeCommand<DecisionRecord>('sessionlog.recordDecision', { answers });
    const second = await vscode.commands.executeCommand<DecisionRecord>('sessionlog.recordDecision', {
      answers: { ...answers, title: 'Rotate refresh tokens', status: 'proposed' },
    });
    assert.equal(first.id, 'ADR-001');
    assert.equal(second.id, 'ADR-002');
    assert.equal(first.path, 'projects/demo/decisions/ADR-001-use-jwt-for-authentication.md');
    const text = read(path.join(kb, first.path));
    assert.match(text, /## Alternatives considered\n\n- Session cookies\n- API keys/);
    assert.match(read(path.join(kb, second.path)), /^decisionStatus: proposed$/m);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(kb, second.path));
    // A status that is not one of the ADR statuses is refused, as the pick would.
    const made = await services();
    assert.equal(await vscode.commands.executeCommand('sessionlog.recordDecision', { answers: { ...answers, status: 'maybe' } }), undefined);
    assert.equal(made.errors.last?.code, 'invalid_input');

    // Secrets in the form's answers are redacted, as every write from VS Code is.
    const secret = await vscode.commands.executeCommand<DecisionRecord>('sessionlog.recordDecision', {
      answers: { ...answers, title: 'Rotate the deploy key', context: 'It leaked as api_key=sk-abcdefghijklmnopqrstuvwxyz123456' },
    });
    const secretText = read(path.join(kb, secret.path));
    assert.match(secretText, /\[REDACTED:api-key\]/);
    assert.doesNotMatch(secretText, /sk-abcdefghijklmnopqrstuvwxyz123456/);
  });

  it("createKbContext: a guided form that writes the folder's .kbcontext", async () => {
    const folder = tempDir('sessionlog-init-');
    const result = await vscode.commands.executeCommand<InitResult>('sessionlog.createKbContext', {
      cwd: folder,
      answers: { project: 'New App', where: 'primary', primary: 'projects/new-app', defaultTags: 'newapp, work' },
    });
    assert.equal(result.file, path.join(folder, '.kbcontext'));
    const text = read(result.file);
    assert.match(text, /project: New App\nprimary: projects\/new-app\ndefault_tags:\n {2}- newapp\n {2}- work\n/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, result.file);

    const entry = tempDir('sessionlog-init-entry-');
    const exact = await vscode.commands.executeCommand<InitResult>('sessionlog.createKbContext', {
      cwd: entry,
      answers: { project: 'Other', where: 'entry', sessionEntry: 'logs/other.md' },
    });
    assert.equal(exact.session_entry, 'logs/other.md');
    // Refuses to replace one, and refuses paths that leave the knowledge base.
    const made = await services();
    await vscode.commands.executeCommand('sessionlog.createKbContext', { cwd: entry, answers: { project: 'Again' } });
    assert.equal(made.errors.last?.code, 'already_exists');
    await vscode.commands.executeCommand('sessionlog.createKbContext', { cwd: tempDir(), answers: { project: 'Bad', primary: '../outside' } });
    assert.equal(made.errors.last?.code, 'invalid_input');
  });

  it('chooseKbRoot: sets the knowledge-base folder for every project; refresh reads again', async () => {
    const other = tempDir('sessionlog-chosen-');
    const chosen = await vscode.commands.executeCommand<string>('sessionlog.chooseKbRoot', other);
    assert.equal(chosen, other);
    assert.equal(vscode.workspace.getConfiguration('sessionlog').get('kbRoot'), other);
    await vscode.commands.executeCommand('sessionlog.refresh');
    const made = await services();
    assert.equal((await made.folders.all()[0]!.resolve()).workspace?.kbRoot, other);
    await useKnowledgeBase(kb);
  });

  it('sync: commits, pulls and pushes the knowledge base through git', async () => {
    const remote = tempDir('sessionlog-remote-');
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    const shared = tempDir('sessionlog-shared-');
    git(shared, 'init', '-q', '-b', 'main');
    git(shared, 'config', 'user.email', 'test@example.com');
    git(shared, 'config', 'user.name', 'Test');
    git(shared, 'remote', 'add', 'origin', remote);
    write(path.join(shared, 'README.md'), '# team knowledge base\n');
    await useKnowledgeBase(shared);
    await vscode.commands.executeCommand('sessionlog.quickLog', 'A session to share #team');
    const result = await vscode.commands.executeCommand<SyncResult>('sessionlog.sync');
    assert.ok(result, JSON.stringify((await services()).errors.last));
    assert.equal(result.committed, true);
    assert.equal(result.pushed, true);
    assert.match(git(remote, 'log', '--name-only', '--format=%s', 'main'), /projects\/demo\/sessions.md/);
    assert.ok(!git(remote, 'ls-tree', '-r', '--name-only', 'main').includes('.lock'));

    // With syncAfterLog, a log is pushed by itself.
    const config = vscode.workspace.getConfiguration('sessionlog');
    await config.update('syncAfterLog', true, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('sessionlog.quickLog', 'Synced by itself #team');
      await waitFor('the log to reach the remote', () => git(remote, 'show', 'main:projects/demo/sessions.md').includes('Synced by itself'), 20_000, 200);
    } finally {
      await config.update('syncAfterLog', undefined, vscode.ConfigurationTarget.Global);
    }
    await useKnowledgeBase(kb);
  });

  it('errors: one clear message naming the way out (no .kbcontext)', async () => {
    const made = await services();
    const bare = tempDir('sessionlog-nocontext-');
    await useKnowledgeBase(undefined);
    try {
      await vscode.commands.executeCommand('sessionlog.log', { cwd: bare, answers: { message: 'x' } });
      assert.equal(made.errors.last?.code, 'no_kb_root');
      assert.match(made.errors.last?.message ?? '', /No knowledge base found/);
      assert.deepEqual(fs.readdirSync(bare), []);
    } finally {
      await useKnowledgeBase(kb);
    }
  });
});
