/// <reference types="mocha" />
// Session: Weekly Report and Session: Show Insights in the real extension host, on a knowledge base
// written here: the report is the core's, and what the Insights page drew (it reports its marks back)
// matches the core's counts; a mark opens the session behind it; filters narrow what is drawn.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { AgentSessions } from '../../src/core/agent/sessions';
import { buildReport, type Report } from '../../src/core/report/report';
import { renderMarkdown } from '../../src/core/report/render';
import { logSession } from '../../src/core/usecases/logSession';
import { recordDecision } from '../../src/core/usecases/decisions';
import type { InsightsPanel } from '../../src/extension/views/insightsPanel';
import type { Drawn } from '../../src/extension/views/insightsMessages';
import { createNodeDeps } from '../../src/node/nodeDeps';
import { entryIn, removeTemps, tempDir, useKnowledgeBase, waitFor, workspaceFolder } from './helpers';

const DAY = 86_400_000;
const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

describe('Weekly Report and Insights', function () {
  this.timeout(150_000);
  let kb: string;
  const opened: InsightsPanel[] = [];

  before(async () => {
    kb = tempDir('sessionlog-insights-');
    const now = Date.now();
    let at = now;
    const deps = createNodeDeps({ clock: { now: () => new Date(at) } });
    const cwd = workspaceFolder().uri.fsPath;
    // Sessions over the last year (and one older), an ADR, an agent's turns of each outcome.
    const sessions: [number, string, Partial<Parameters<typeof logSession>[1]>][] = [
      [400, 'Too old for the calendar', {}],
      [200, 'Set up the project', { tags: ['setup'] }],
      [40, 'Implemented OAuth2 flow', { tags: ['auth'], followUps: ['Add refresh token rotation'] }],
      [3, 'Auth middleware done', { tags: ['auth'], decisions: [{ decision: 'Used jose for JWT', rationale: 'type-safe' }] }],
      [0, 'Wrote the docs', { tags: ['docs'] }],
    ];
    for (const [daysAgo, message, extra] of sessions) {
      at = now - daysAgo * DAY;
      await logSession(deps, { cwd, kbRoot: kb, message, ...extra });
    }
    at = now - 2 * DAY;
    await recordDecision(deps, { cwd, kbRoot: kb, title: 'Use JWT for authentication', decision: 'JWT with jose' });
    const agent = new AgentSessions(deps, { cwd, kbRoot: kb });
    await agent.openSession({ agent: 'Codex', title: 'Refresh tokens' });
    for (const end of ['complete', 'fail', 'abandon', 'complete'] as const) {
      at += 60_000;
      await agent.beginTurn({ queryTitle: `Turn ending ${end}` });
      if (end === 'complete') await agent.completeTurn({ response: 'done' });
      if (end === 'fail') await agent.failTurn({ errorMessage: 'Tests failed' });
    }
    await useKnowledgeBase(kb);
  });

  after(async () => {
    for (const panel of opened) panel.panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await useKnowledgeBase(undefined);
    removeTemps();
  });

  const coreReport = (input: Partial<Parameters<typeof buildReport>[1]>) =>
    buildReport(createNodeDeps(), { cwd: workspaceFolder().uri.fsPath, kbRoot: kb, timeZone: zone(), ...input });

  it("Session: Weekly Report opens the core's report of the week as a Markdown preview", async () => {
    const report = await vscode.commands.executeCommand<Report>('sessionlog.weeklyReport', { period: 'this' });
    const expected = await coreReport({ week: 'this' });
    assert.deepEqual(report, expected);
    const shown = await waitFor("the report's document", () =>
      vscode.workspace.textDocuments.find((doc) => doc.languageId === 'markdown' && doc.isUntitled && doc.getText().startsWith('# Week ')),
    );
    assert.equal(shown.getText(), renderMarkdown(expected));
    const lastMonth = await vscode.commands.executeCommand<Report>('sessionlog.weeklyReport', { period: 'last month', preview: false });
    assert.equal(lastMonth.period.kind, 'month');
    assert.deepEqual(lastMonth.totals, (await coreReport({ month: 'last' })).totals);
  });

  it("Session: Show Insights draws the core's counts: days, sessions, agent turns by outcome, decisions", async () => {
    // The report's Markdown preview may still be opening: once it has, nothing else takes the Insights tab's place.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const panel = await vscode.commands.executeCommand<InsightsPanel>('sessionlog.showInsights');
    opened.push(panel);
    const drawn = await waitFor(
      'the Insights page to draw',
      () => {
        assert.equal(panel.failure, undefined, 'the page drew without an error');
        // A webview in a tab behind another one is not loaded until its tab is shown, as for a user who clicks it.
        if (!panel.panel.visible) panel.panel.reveal();
        return panel.drawn;
      },
      90_000,
    );
    const year = await coreReport({ since: '365d' });
    assert.equal(drawn.sessions, year.totals.sessions, 'sessions in the calendar');
    assert.equal(drawn.sessions, 4, 'the one older than a year is left out');
    assert.equal(drawn.projectSessions, year.totals.sessions, 'sessions per project');
    assert.equal(drawn.turns, year.totals.turns, 'agent turns in the calendar');
    assert.equal(drawn.agentTurns, year.totals.turns, 'agent turns by outcome');
    assert.deepEqual(
      panel.insights!.agentOutcomes.map((r) => [r.outcome, r.turns]),
      [
        ['completed', year.totals.completed],
        ['failed', year.totals.failed],
        ['superseded', year.totals.superseded],
      ],
    );
    assert.equal(year.totals.superseded, 1, 'the abandoned turn was superseded');
    assert.equal(drawn.decisions, year.totals.decisions, 'the decisions timeline');
    assert.deepEqual(drawn.charts, ['calendar', 'projects', 'tags', 'agents', 'followUps', 'decisions'], 'every chart is drawn');
    assert.ok(drawn.links >= drawn.calendarDays + drawn.decisions, `every mark is a link (${drawn.links})`);
  });

  it('a mark opens the session behind it; a filter narrows what is drawn', async () => {
    const panel = opened[0]!;
    const decision = panel.insights!.decisions.find((d) => d.kind === 'session')!;
    const targets = await panel.open({ chart: 'decisions', path: decision.path, line: decision.line });
    assert.equal(targets.length, 1);
    const editor = await waitFor('the entry to open', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath === entryIn(kb) ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(editor.selection.active.line, decision.line - 1, "at the session's heading");
    assert.match(editor.document.lineAt(decision.line + 1).text, /#auth/);

    const next = new Promise<Drawn>((resolve) => panel.onDidDraw(resolve));
    await panel.setFilters({ tag: 'auth' });
    const filtered = await next;
    assert.equal(filtered.sessions, 2, 'the two #auth sessions');
    assert.equal(filtered.turns, 0, "the agent's turns carry no #auth");
    const week = panel.insights!.projectWeeks[0]!;
    assert.equal((await panel.open({ chart: 'projects', week: week.week, project: week.project })).length, week.sessions);
  });
});
