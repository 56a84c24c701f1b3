/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AgentSessions } from '../../src/core/agent/sessions';
import { createNodeDeps } from '../../src/node/nodeDeps';
import { logSession } from '../../src/core/usecases/logSession';
import { FolderContext, FolderRegistry } from '../../src/extension/folders';
import { SessionsModel } from '../../src/extension/views/model';
import type { AgentSessionNode } from '../../src/extension/views/nodes/agentSession';
import type { SessionNode } from '../../src/extension/views/nodes/session';
import type { TurnNode } from '../../src/extension/views/nodes/turn';
import { SessionsTreeProvider } from '../../src/extension/views/sessionsTree';
import {
  cli,
  entryIn,
  is,
  labelOf,
  read,
  services,
  sessionRows,
  sleep,
  tempDir,
  useKnowledgeBase,
  useSuiteKnowledgeBase,
  waitFor,
  workspaceFolder,
  write,
} from './helpers';

/** An entry of `count` sessions, as memex writes them, oldest first. */
function bigEntry(count: number): string {
  const lines = [
    '---',
    'title: demo Sessions',
    'tags:',
    '  - demo',
    '  - sessions',
    "created: '2020-01-01T00:00:00Z'",
    '---',
    '',
    '# Session Log',
    '',
    'Session notes for demo.',
    '',
  ];
  for (let i = 0; i < count; i++) {
    const minutes = i;
    const time = new Date(Date.UTC(2020, 0, 1) + minutes * 60_000).toISOString();
    lines.push(`## ${time.slice(0, 10)} ${time.slice(11, 16)} UTC`, '', `#bulk`, '', `Bulk session number ${i + 1}`, '');
  }
  return lines.join('\n');
}

const quiet = { info: () => undefined, warn: () => undefined };

interface WelcomeManifest {
  contributes: { viewsWelcome: { view: string; contents: string; when: string }[] };
}

describe('Sessions view', function () {
  this.timeout(60_000);
  let kb: string;

  useSuiteKnowledgeBase('sessionlog-tree-', (root) => (kb = root));

  it('shows the welcome content while the entry is empty', async () => {
    const made = await services();
    assert.equal(await made.model.viewState(), 'empty');
    assert.deepEqual(await made.sessionsTree.getChildren(), []);
  });

  it('updates by itself when the CLI writes, in a knowledge base outside the workspace', async () => {
    const folder = workspaceFolder().uri.fsPath;
    await cli(['log', '-m', 'Written from the terminal', '--tags', 'cli', '--follow-up', 'Check the tree'], { cwd: folder, env: { MEMEX_KB_ROOT: kb } });
    // No refresh: the file watcher on the knowledge base (outside the workspace) must notice.
    const row = await waitFor("the CLI's session in the tree", async () =>
      (await sessionRows()).find((candidate) => labelOf(candidate.item) === 'Written from the terminal'),
    );
    assert.ok(is(row, 'session'));
    assert.equal(row.item.contextValue, 'session');
    assert.match(String(row.item.description), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC {2}#cli$/);
    assert.ok(row.item.tooltip instanceof vscode.MarkdownString);
    const tooltip = row.item.tooltip.value.replace(/&nbsp;/g, ' ');
    assert.match(tooltip, /Written from the terminal/);
    assert.match(tooltip, /\*\*Follow-ups\*\*\n\n- ☐ Check the tree/);
    assert.equal((row.item.iconPath as vscode.ThemeIcon).id, 'checklist');
    assert.equal(row.item.command?.command, 'sessionlog.sessions.open');

    const made = await services();
    assert.equal(await made.model.viewState(), 'ready');
    const entry = (await sessionRows(1))[0]!;
    assert.ok(is(entry, 'entry'));
    assert.equal(labelOf(entry.item), 'projects/demo/sessions.md');
    assert.equal(entry.item.description, '1 session');
  });

  it('lists sessions newest first, with stable ids, and opens one at its heading', async () => {
    const folder = workspaceFolder().uri.fsPath;
    await cli(['log', '-m', 'Second from the terminal'], { cwd: folder, env: { MEMEX_KB_ROOT: kb } });
    const rows = await waitFor('two sessions', async () => {
      const found = (await sessionRows()).filter((row) => is(row, 'session'));
      return found.length === 2 ? found : undefined;
    });
    assert.deepEqual(
      rows.map((row) => labelOf(row.item)),
      ['Second from the terminal', 'Written from the terminal'],
    );
    const ids = (await sessionRows()).map((row) => row.item.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are not unique');
    const again = (await sessionRows()).map((row) => row.item.id);
    assert.deepEqual(again, ids, 'ids changed between reads');

    const node = rows[1]!.node as SessionNode;
    await vscode.commands.executeCommand('sessionlog.sessions.open', node);
    const editor = await waitFor('the entry to open', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath === entryIn(kb) ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(editor.selection.active.line + 1, node.session.startLine);
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /^## \d{4}-/);
  });

  it("copies a session as Markdown and as the log-session skill's JSON", async () => {
    const rows = (await sessionRows()).filter((row) => is(row, 'session'));
    const node = rows.find((row) => labelOf(row.item) === 'Written from the terminal')!.node;
    const markdown = await vscode.commands.executeCommand<string>('sessionlog.sessions.copyMarkdown', node);
    assert.match(markdown, /^## \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\n\n#cli\n\nWritten from the terminal\n\n### Follow-ups\n\n- \[ \] Check the tree$/);
    const json = JSON.parse(await vscode.commands.executeCommand<string>('sessionlog.sessions.copyJson', node)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['id', 'date', 'summary', 'files_modified', 'decisions_made', 'follow_up', 'tags', 'context_for_next_session']);
    assert.match(String(json.id), /^session-\d{8}-\d{6}$/);
    assert.equal(json.summary, 'Written from the terminal');
    assert.deepEqual(json.follow_up, ['Check the tree']);
    assert.deepEqual(json.tags, ['cli']);
    // The clipboard holds it too, where the browser lets it be read back.
    const clipboard = await vscode.env.clipboard.readText().then(
      (text) => text,
      () => undefined,
    );
    if (clipboard) assert.equal(JSON.parse(clipboard).summary, 'Written from the terminal');
    // The knowledge base is outside the workspace: the OS file manager where there is one, else the editor.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('sessionlog.sessions.revealInExplorer', node);
    if (!(await vscode.commands.getCommands(true)).includes('revealFileInOS')) {
      await waitFor('the entry to open in the editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === entryIn(kb));
    }
  });

  it('pages an entry of 10,000 sessions: the first page at once, more on "Load more…"', async () => {
    const big = tempDir('sessionlog-big-');
    write(entryIn(big), bigEntry(10_000));
    const started = Date.now();
    await useKnowledgeBase(big);
    const rows = (await sessionRows()).filter((row) => row.depth === 1);
    const elapsed = Date.now() - started;
    const made = await services();
    const pageSize = made.folders.all()[0]!.config().pageSize;
    assert.equal(rows.length, pageSize + 1);
    assert.equal(labelOf(rows[0]!.item), 'Bulk session number 10000');
    const more = rows[pageSize]!;
    assert.ok(is(more, 'more'));
    assert.equal(labelOf(more.item), 'Load more…');
    assert.equal(more.item.description, `${pageSize} of 10000`);
    assert.ok(elapsed < 5000, `the first page took ${elapsed} ms`);

    await vscode.commands.executeCommand('sessionlog.sessions.loadMore', more.node);
    const next = (await sessionRows()).filter((row) => row.depth === 1);
    assert.equal(next.length, 2 * pageSize + 1);
    assert.equal(labelOf(next[2 * pageSize - 1]!.item), `Bulk session number ${10_000 - 2 * pageSize + 1}`);
    console.log(`      (10,000 sessions: first page in ${elapsed} ms)`);
    await useKnowledgeBase(kb);
  });

  it("All projects: every project's sessions newest first, filtered (Filter All Projects) and paged", async () => {
    const made = await services();
    const pageSize = made.folders.all()[0]!.config().pageSize;
    write(
      path.join(kb, 'projects/other/sessions.md'),
      bigEntry(pageSize + 5)
        .replace(/#bulk/g, '#ops')
        .replace(/Bulk session/g, 'Other project session'),
    );
    made.model.reload(undefined, { now: true });
    const allRows = async () => {
      const all = (await sessionRows(1)).find((row) => is(row, 'allProjects'))!;
      const children = await made.sessionsTree.getChildren(all.node);
      return { all, rows: children.map((node) => ({ node, item: made.sessionsTree.getTreeItem(node) })) };
    };
    const first = await allRows();
    assert.equal(first.all.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(first.rows.length, pageSize + 1);
    assert.ok(
      first.rows.some((row) => /^demo · /.test(String(row.item.description))),
      "the workspace's own project is there",
    );
    const others = first.rows.filter((row) => /^other · /.test(String(row.item.description)));
    assert.ok(others.length > 0, "another project's sessions are there");
    const times = first.rows.slice(0, pageSize).map((row) => (row.node as unknown as { hit: { time?: string } }).hit.time ?? '');
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    const more = first.rows[pageSize]!;
    assert.ok(is(more, 'more'));
    assert.equal(more.item.description, `${pageSize} shown`);
    await vscode.commands.executeCommand('sessionlog.sessions.loadMore', more.node);
    const paged = await allRows();
    assert.equal(paged.rows.filter((row) => /^other · /.test(String(row.item.description))).length, pageSize + 5, 'every session of the other project');
    assert.ok(!paged.rows.some((row) => is(row, 'more')), 'no further Load more');

    await vscode.commands.executeCommand('sessionlog.sessions.filterAll', first.all.node, 'tag:ops since:2020-01-01 until:2020-01-01 number');
    const filtered = await allRows();
    assert.equal(filtered.all.item.description, 'tag:ops since:2020-01-01 until:2020-01-01 number');
    assert.ok(filtered.rows.length > 0);
    assert.ok(
      filtered.rows.filter((row) => is(row, 'hit')).every((row) => /^other · /.test(String(row.item.description))),
      'only the #ops sessions',
    );
    await vscode.commands.executeCommand('sessionlog.sessions.open', filtered.rows[0]!.node);
    await waitFor(
      "the other project's entry to open",
      () => vscode.window.activeTextEditor?.document.uri.fsPath.endsWith(path.join('projects', 'other', 'sessions.md')) || undefined,
    );
    // A filter that does not parse is refused (the command's error names since:) and the one before stays.
    await vscode.commands.executeCommand('sessionlog.sessions.filterAll', first.all.node, 'since:someday');
    assert.equal((await allRows()).all.item.description, 'tag:ops since:2020-01-01 until:2020-01-01 number');
    await vscode.commands.executeCommand('sessionlog.sessions.filterAll', first.all.node, '');
    assert.equal((await allRows()).all.item.description, 'every project of the knowledge base');
  });

  it("reads again after a write through a folder's own ports, with no watcher and no command telling it", async () => {
    // The extension's own objects, without the watchers: only the file system's announcement can reach the model.
    const folders = new FolderRegistry(quiet, '/nowhere/cli.js');
    const model = new SessionsModel(folders, () => undefined);
    try {
      const folder = folders.all()[0]!;
      const before = (await model.state(folder)).history?.sessions.length ?? 0;
      const changed = new Promise<void>((resolve) => model.onDidChange(() => resolve()));
      await logSession(folder.deps, { ...(await folder.options()), message: 'Written through the port' });
      await Promise.race([changed, sleep(5_000).then(() => assert.fail('the model did not hear of the write'))]);
      const after = await model.state(folder);
      assert.equal(after.history?.sessions.length, before + 1);
      assert.equal(after.history?.sessions[0]?.message, 'Written through the port');
    } finally {
      model.dispose();
      folders.dispose();
    }
  });

  it('sees what is written the moment it starts watching another knowledge base', async () => {
    const other = tempDir('sessionlog-switch-');
    write(entryIn(other), bigEntry(1));
    await useKnowledgeBase(other);
    // Written at once, before the new watcher can have started: the view must still catch up.
    write(entryIn(other), bigEntry(2));
    await waitFor('the session written while the watcher started', async () =>
      (await sessionRows()).find((row) => labelOf(row.item) === 'Bulk session number 2'),
    );
    await useKnowledgeBase(kb);
  });

  it('shows agent sessions and their turns with status icons and states, and fails a stale turn', async () => {
    const folder = workspaceFolder().uri.fsPath;
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const old = createNodeDeps({ clock: { now: () => twoHoursAgo }, env: { get: () => undefined, cwd: () => folder } });
    const stale = new AgentSessions(old, { cwd: folder, kbRoot: kb });
    await stale.openSession({ agent: 'Codex', title: 'Implement auth' });
    await stale.beginTurn({ queryTitle: 'Add JWT' });
    await stale.completeTurn({ response: 'Done' });
    await stale.beginTurn({ queryTitle: 'Add refresh tokens' });
    const fresh = new AgentSessions(createNodeDeps({ env: { get: () => undefined, cwd: () => folder } }), { cwd: folder, kbRoot: kb });
    await fresh.openSession({ agent: 'Copilot', title: 'Write the docs' });
    await fresh.beginTurn({ queryTitle: 'Outline' });

    const made = await services();
    const agentRows = await waitFor('both agent sessions', async () => {
      const found = (await sessionRows(4)).filter((row) => is(row, 'agent'));
      if (found.length !== 2) throw new Error(`agent rows: ${found.map((row) => labelOf(row.item)).join(', ') || 'none'}`);
      return found;
    });
    const byTitle = new Map(agentRows.map((row) => [labelOf(row.item), row]));
    const staleRow = byTitle.get('Implement auth')!;
    assert.equal(staleRow.item.contextValue, 'agentSession:open:stale');
    assert.equal((staleRow.item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.equal(byTitle.get('Write the docs')!.item.contextValue, 'agentSession:open');
    assert.equal((byTitle.get('Write the docs')!.item.iconPath as vscode.ThemeIcon).id, 'sync~spin');

    const turns = (await made.sessionsTree.getChildren(staleRow.node)).map((node) => ({ node, item: made.sessionsTree.getTreeItem(node) }));
    assert.deepEqual(
      turns.map(({ item }) => [labelOf(item), item.contextValue]),
      [
        ['1. Add JWT', 'turn:completed'],
        ['2. Add refresh tokens', 'turn:stale'],
      ],
    );
    assert.equal((turns[0]!.item.iconPath as vscode.ThemeIcon).id, 'pass');

    // The status bar shows the newest session in progress.
    await waitFor('the status bar', () => made.statusBar.text?.includes('Copilot: Write the docs'));

    // Opening a turn goes to its heading.
    await vscode.commands.executeCommand('sessionlog.sessions.open', turns[1]!.node);
    const editor = await waitFor('the agent session to open', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('.md') && vscode.window.activeTextEditor.document.uri.fsPath.includes('agent-sessions')
        ? vscode.window.activeTextEditor
        : undefined,
    );
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /^## Turn 2 · Add refresh tokens/);

    assert.equal(await vscode.commands.executeCommand('sessionlog.sessions.failStaleTurn', turns[1]!.node, { confirm: false }), true);
    const failed = await waitFor('the turn to show as failed', async () => {
      const node = (await sessionRows(4)).find((row) => is(row, 'agent') && labelOf(row.item) === 'Implement auth')!.node;
      const items = (await made.sessionsTree.getChildren(node)).map((child) => made.sessionsTree.getTreeItem(child));
      return items[1]?.contextValue === 'turn:failed' ? items[1] : undefined;
    });
    assert.equal((failed.iconPath as vscode.ThemeIcon).id, 'error');
    const file = path.join(kb, 'projects', 'demo', 'agent-sessions', `${(staleRow.node as AgentSessionNode).session.sessionId}.md`);
    assert.match(read(file), /### Failed · .*\n\n\*\*Error code:\*\* `stale_turn`/);
    const turnNode = turns[1]!.node as TurnNode;
    assert.equal(turnNode.turn.requestId.startsWith('req-'), true);
  });

  it('shows the status-bar item in full, as an icon, or not at all', async () => {
    const made = await services();
    const config = vscode.workspace.getConfiguration('sessionlog');
    try {
      await config.update('statusBar', 'icon', vscode.ConfigurationTarget.Global);
      await waitFor('an icon-only item', () => made.statusBar.text === '$(robot)');
      await config.update('statusBar', 'hidden', vscode.ConfigurationTarget.Global);
      await waitFor('no item', () => made.statusBar.text === undefined);
    } finally {
      await config.update('statusBar', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the full item', () => made.statusBar.text?.startsWith('$(robot) Copilot: '));
  });

  it("shows no rows but the welcome content's two ways out where a folder's knowledge base cannot be resolved", async () => {
    // A window whose one folder has no .kbcontext, through the very objects the extension makes for it.
    const bare = tempDir('sessionlog-tree-bare-');
    const folder = new FolderContext(vscode.Uri.file(bare), 'bare', undefined, { trusted: true, virtual: false }, quiet, '/nowhere/cli.js');
    const changed = new vscode.EventEmitter<void>();
    const folders = { all: () => [folder], onDidChange: changed.event, onDidWrite: new vscode.EventEmitter<never>().event } as unknown as FolderRegistry;
    const model = new SessionsModel(folders, () => undefined);
    const tree = new SessionsTreeProvider(model, folders);
    const states: string[] = [];
    try {
      // A knowledge base is set (this suite's), but nothing says where in it the project's entry is.
      assert.equal(((await folder.resolve()).error as { code?: string }).code, 'no_context');
      states.push(await model.viewState());
      assert.deepEqual(await tree.getChildren(), []);
      // No knowledge base at all: the same welcome.
      await useKnowledgeBase(undefined);
      model.reload(undefined, { resolution: true, now: true });
      await model.settled();
      assert.equal(((await folder.resolve()).error as { code?: string }).code, 'no_kb_root');
      states.push(await model.viewState());
      assert.deepEqual(await tree.getChildren(), []);
    } finally {
      model.dispose();
      changed.dispose();
      await useKnowledgeBase(kb);
    }
    assert.deepEqual(states, ['noContext', 'noContext']);
    const welcome = (vscode.extensions.getExtension('sessionlog.sessionlog')!.packageJSON as WelcomeManifest).contributes.viewsWelcome.filter(
      (item) => item.view === 'sessionlog.sessions' && item.when === 'sessionlog.state == noContext',
    );
    assert.equal(welcome.length, 1, 'no welcome content for the state noContext');
    const buttons = welcome[0]!.contents.split('\n').filter((line) => /^\[.*\]\(command:.*\)$/.test(line));
    assert.deepEqual(buttons, ['[Create .kbcontext](command:sessionlog.createKbContext)', '[Choose Knowledge Base Folder](command:sessionlog.chooseKbRoot)']);
  });
});
