/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LogSessionResult } from '../../src/core/usecases/logSession';
import { entryIn, git, gitRepo, read, services, sleep, tempDir, useKnowledgeBase, useSuiteKnowledgeBase, waitFor, write } from './helpers';

type QuickInput = vscode.InputBox | vscode.QuickPick<vscode.QuickPickItem & { value?: string }>;
type Creators = { createInputBox: typeof vscode.window.createInputBox; createQuickPick: typeof vscode.window.createQuickPick };

/**
 * The form as a user meets it, in the real quick input: each input box and pick the extension
 * makes is recorded as it is made (this suite's `vscode` is the extension's own API object), and
 * answered with the workbench's commands for Enter, Back and Escape.
 */
class QuickInputs {
  private readonly window = vscode.window as unknown as Creators;
  private readonly originals: Creators = { createInputBox: this.window.createInputBox, createQuickPick: this.window.createQuickPick };
  private readonly made: { input: QuickInput; answered: boolean }[] = [];
  private taken = 0;

  constructor() {
    this.window.createInputBox = () => this.record(this.originals.createInputBox.call(vscode.window));
    this.window.createQuickPick = (() => this.record(this.originals.createQuickPick.call(vscode.window))) as Creators['createQuickPick'];
  }

  private record<T extends QuickInput>(input: T): T {
    const made = { input, answered: false };
    input.onDidAccept(() => (made.answered = true));
    input.onDidTriggerButton(() => (made.answered = true));
    input.onDidHide(() => (made.answered = true));
    this.made.push(made);
    return input;
  }

  /** The next box or pick shown, which must be step `step` of the form. */
  async step(step: number): Promise<QuickInput> {
    const made = await waitFor(`step ${step} of the form`, () => this.made[this.taken]);
    this.taken++;
    assert.equal(made.input.step, step, `step ${made.input.step} was shown instead of step ${step}`);
    return made.input;
  }

  /** Enter on the step last shown (with `value` typed into an input box first). */
  accept(value?: string): Promise<void> {
    if (value !== undefined) (this.current() as vscode.InputBox).value = value;
    return this.run('workbench.action.acceptSelectedQuickOpenItem');
  }

  /** The Back button of the step last shown. */
  back(): Promise<void> {
    return this.run('workbench.action.quickInputBack');
  }

  cancel(): Promise<void> {
    return this.run('workbench.action.closeQuickOpen');
  }

  private current(): QuickInput {
    return this.made[this.taken - 1]!.input;
  }

  /** Runs a workbench command on the step last shown, again if it was not yet on screen when the command arrived. */
  private async run(command: string): Promise<void> {
    const made = this.made[this.taken - 1]!;
    for (let attempt = 0; attempt < 20 && !made.answered; attempt++) {
      await sleep(100);
      await vscode.commands.executeCommand(command);
      await waitFor(`the form to take ${command}`, () => made.answered, 1000).catch(() => undefined);
    }
    assert.ok(made.answered, `step ${made.input.step} never took ${command}`);
  }

  dispose(): void {
    Object.assign(this.window, this.originals);
  }
}

describe('Log Session form and Quick Log', function () {
  this.timeout(30_000);
  let kb: string;

  useSuiteKnowledgeBase('sessionlog-kb-', (root) => (kb = root));

  it("writes every step of the form to the project's entry", async () => {
    write(path.join(kb, 'patterns', 'oauth2.md'), '# OAuth2\n');
    const result = await vscode.commands.executeCommand<LogSessionResult>('sessionlog.log', {
      answers: {
        message: 'Implemented the OAuth2 flow',
        tags: ['auth', 'progress'],
        links: ['patterns/oauth2.md'],
        files: ['src/auth/jwt.ts', 'src/routes/login.ts'],
        decisions: ['Used jose for JWT :: type-safe, no native dependencies', '15-minute access tokens'],
        followUps: ['Add refresh token rotation', 'Rate-limit the login route'],
        next: 'Start with src/auth/refresh.ts',
      },
    });
    assert.ok(result, 'the command returned no result');
    assert.equal(result.path, 'projects/demo/sessions.md');
    assert.equal(result.action, 'created');
    assert.equal(result.context_source, '.kbcontext (primary)');
    assert.equal(result.project, 'demo');
    const text = read(entryIn(kb));
    assert.match(text, /^---\ntitle: demo Sessions\n/);
    assert.match(text, /## \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\n\n#auth #progress\n\nImplemented the OAuth2 flow\n/);
    assert.match(text, /### Files modified\n\n- `src\/auth\/jwt.ts`\n- `src\/routes\/login.ts`/);
    assert.match(text, /- Used jose for JWT\n {2}- Rationale: type-safe, no native dependencies\n- 15-minute access tokens/);
    assert.match(text, /- \[ \] Add refresh token rotation\n- \[ \] Rate-limit the login route/);
    assert.match(text, /Start with src\/auth\/refresh.ts/);
    assert.match(text, /Related: \[\[patterns\/oauth2.md\]\]\n$/);
  });

  it('remembers the tags used, and offers them next time', async () => {
    const made = await services();
    assert.deepEqual(made.recentTags.get().slice(0, 2), ['auth', 'progress']);
  });

  it('validates answers as typing them would: an empty message writes nothing', async () => {
    const made = await services();
    const before = read(entryIn(kb));
    const result = await vscode.commands.executeCommand('sessionlog.log', { answers: { message: '   ' } });
    assert.equal(result, undefined);
    assert.equal(made.errors.last?.code, 'invalid_input');
    assert.match(made.errors.last?.message ?? '', /message/);
    assert.equal(read(entryIn(kb)), before);
  });

  it('refuses a tag with a space and a link that climbs out of the knowledge base', async () => {
    const made = await services();
    const before = read(entryIn(kb));
    await vscode.commands.executeCommand('sessionlog.log', { answers: { message: 'x', tags: ['a[b'] } });
    assert.equal(made.errors.last?.code, 'invalid_input');
    assert.match(made.errors.last?.message ?? '', /tag 'a\[b'/);
    await vscode.commands.executeCommand('sessionlog.log', { answers: { message: 'x', links: ['../../etc/passwd'] } });
    assert.match(made.errors.last?.message ?? '', /outside the knowledge base/);
    assert.equal(read(entryIn(kb)), before);
  });

  it('takes a long message written in an editor, when the user presses Done', async () => {
    const running = vscode.commands.executeCommand<LogSessionResult>('sessionlog.log', {
      answers: { message: { button: 'editor' }, tags: [], files: [] },
    });
    const editor = await waitFor('the message editor to open', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.isUntitled && active.document.languageId === 'markdown' ? active : undefined;
    });
    const document = editor.document;
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'A long message.\n\nWith a second paragraph,\n- and a list.'));
    assert.equal(await vscode.commands.executeCommand('sessionlog.finishMessage'), true);
    const result = await running;
    assert.ok(result);
    assert.equal(result.record.message, 'A long message.\n\nWith a second paragraph,\n- and a list.');
    assert.match(read(entryIn(kb)), /A long message.\n\nWith a second paragraph,\n- and a list.\n$/);
    await waitFor(
      'the message editor to close',
      () => document.isClosed || !vscode.window.visibleTextEditors.some((candidate) => candidate.document === document),
    );
  });

  it('pre-fills files modified from git: changed since the last session and in the working tree', async () => {
    const repo = gitRepo(
      tempDir('sessionlog-repo-'),
      {
        '.kbcontext': 'project: gitproject\nprimary: projects/gitproject\n',
        'src/app.ts': 'export {};\n',
        'README.md': '# app\n',
      },
      '2020-01-01T00:00:00Z',
    );
    write(path.join(repo, 'src', 'app.ts'), 'export const changed = true;\n');
    write(path.join(repo, 'src', 'new.ts'), 'export {};\n');
    const result = await vscode.commands.executeCommand<LogSessionResult>('sessionlog.log', {
      cwd: repo,
      answers: { message: 'Changed the app' },
    });
    assert.ok(result);
    // The user setting sessionlog.kbRoot applies to every folder: the entry is in the test knowledge base.
    assert.equal(result.absolutePath, path.join(kb, 'projects', 'gitproject', 'sessions.md'));
    assert.deepEqual(result.record.files, ['src/app.ts', 'src/new.ts']);

    // Committed since the last session: still listed; committed before it: not.
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'work');
    await sleep(1100);
    const second = await vscode.commands.executeCommand<LogSessionResult>('sessionlog.log', { cwd: repo, answers: { message: 'Nothing new' } });
    assert.ok(second);
    assert.deepEqual(second.record.files, ['src/app.ts', 'src/new.ts']);
  });

  it('quick-logs one line, with inline #tags as tags', async () => {
    const result = await vscode.commands.executeCommand<LogSessionResult>('sessionlog.quickLog', 'Fixed the #token refresh race #auth #bugfix');
    assert.ok(result);
    assert.equal(result.record.message, 'Fixed the token refresh race');
    assert.deepEqual(result.record.tags, ['token', 'auth', 'bugfix']);
    assert.match(read(entryIn(kb)), /#token #auth #bugfix\n\nFixed the token refresh race\n$/);
  });

  it('says where it writes and why: the form names the entry and what chose it', async () => {
    const before = read(entryIn(kb));
    const form = new QuickInputs();
    try {
      const running = vscode.commands.executeCommand<LogSessionResult | undefined>('sessionlog.log');
      const message = (await form.step(1)) as vscode.InputBox;
      assert.equal(message.title, 'Log Session → projects/demo/sessions.md');
      assert.equal(message.totalSteps, 7);
      assert.match(message.prompt ?? '', /Writes to projects\/demo\/sessions\.md \(chosen by \.kbcontext \(primary\)\)\./);
      await form.cancel();
      assert.equal(await running, undefined);
    } finally {
      form.dispose();
    }
    assert.equal(read(entryIn(kb)), before);
  });

  it("offers the knowledge base's entries to link, and the tags used lately", async () => {
    const made = await services();
    write(path.join(kb, 'decisions', 'adr-001.md'), '# ADR 1\n');
    await made.recentTags.remember(['release', 'perf']);
    const recent = made.recentTags.get();
    const form = new QuickInputs();
    try {
      const running = vscode.commands.executeCommand<LogSessionResult | undefined>('sessionlog.log');
      await form.step(1);
      await form.accept('Looked at what the form offers');
      const tags = (await form.step(2)) as vscode.QuickPick<vscode.QuickPickItem & { value: string }>;
      assert.deepEqual(
        tags.items.filter((item) => item.description === 'recent').map((item) => item.value),
        recent,
      );
      assert.deepEqual(
        tags.items.slice(0, 2).map((item) => item.label),
        ['#release', '#perf'],
      );
      await form.accept();
      const links = (await form.step(3)) as vscode.QuickPick<vscode.QuickPickItem & { value: string }>;
      const offered = links.items.map((item) => item.value);
      assert.ok(offered.includes('decisions/adr-001.md'), `offered: ${offered.join(', ')}`);
      assert.ok(offered.includes('patterns/oauth2.md'), `offered: ${offered.join(', ')}`);
      assert.ok(!offered.includes('projects/demo/sessions.md'), 'the entry itself is offered as a link');
      await form.cancel();
      assert.equal(await running, undefined);
    } finally {
      form.dispose();
    }
  });

  it('goes back a step with the earlier answer kept, and writes it as changed there', async () => {
    const form = new QuickInputs();
    try {
      const running = vscode.commands.executeCommand<LogSessionResult | undefined>('sessionlog.log');
      await form.step(1);
      await form.accept('The first draft of the message');
      await form.step(2);
      await form.accept();
      await form.step(3);
      await form.back();
      await form.step(2);
      await form.back();
      const message = (await form.step(1)) as vscode.InputBox;
      assert.equal(message.value, 'The first draft of the message');
      await form.accept('The message as changed after going back');
      for (const step of [2, 3, 4, 5, 6, 7]) {
        await form.step(step);
        await form.accept(step >= 5 ? '' : undefined);
      }
      const result = await running;
      assert.ok(result, 'the form wrote nothing');
      assert.equal(result.record.message, 'The message as changed after going back');
      const text = read(entryIn(kb));
      assert.match(text, /The message as changed after going back\n/);
      assert.doesNotMatch(text, /first draft/);
    } finally {
      form.dispose();
    }
  });

  it('offers the way out when there is no .kbcontext', async () => {
    const made = await services();
    const bare = tempDir('sessionlog-bare-');
    await useKnowledgeBase(undefined);
    try {
      await vscode.commands.executeCommand('sessionlog.quickLog', { text: 'nowhere to go', cwd: bare });
      assert.ok(made.errors.last && ['no_kb_root', 'no_context'].includes(made.errors.last.code), `got ${JSON.stringify(made.errors.last)}`);
      assert.deepEqual(made.errors.last.actions, ['Create .kbcontext', 'Choose Knowledge Base Folder']);
      assert.equal(fs.readdirSync(bare).length, 0);
    } finally {
      await useKnowledgeBase(kb);
    }
  });
});
