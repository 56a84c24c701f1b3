/**
 * The demo knowledge base as `npm start` opens it: made fresh from demo/ with its times moved to now, so the agent's
 * turn in progress is minutes old (not stale), every file still reads, and last week's report is saved in it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AgentSessions } from '../../src/core/agent/sessions';
import { parseEntry } from '../../src/core/format/parse';
import { REPO_ROOT } from '../support/paths';
import { read, tempDir } from '../support/files';
import { coreDeps } from '../support/core';
import { cli } from '../support/cli';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeDemo } = require(path.join(REPO_ROOT, 'scripts', 'demo.js')) as { makeDemo: (target: string, now?: number) => string };

describe('the demo knowledge base', () => {
  it('opens fresh: its newest moment is now, the turn in progress is not stale, and a report is saved', async (t) => {
    const now = Date.parse('2027-03-10T09:30:00Z');
    const demo = makeDemo(path.join(tempDir(t), 'demo'), now);
    const entry = path.join(demo, 'projects/demo-app/sessions.md');
    const sessions = parseEntry(read(entry), entry).sessions;
    assert.ok(sessions.length >= 10, 'weeks of sessions');
    const newestSession = Date.parse(sessions.at(-1)!.timestamp!);
    assert.ok(now - newestSession < 2 * 86_400_000 && newestSession <= now, `the newest session is recent: ${sessions.at(-1)!.heading}`);

    const agents = new AgentSessions(coreDeps({ cwd: demo, now: new Date(now).toISOString() }), { staleAfterMinutes: 30 });
    const history = await agents.queryHistory({ limit: 10 });
    assert.equal(history.totalCount, 2);
    const live = history.sessions.find((session) => session.status === 'in_progress')!;
    assert.equal(live.staleTurn, undefined, 'the turn in progress is minutes old');
    const session = await agents.getSession({ sessionId: live.sessionId });
    assert.deepEqual(
      session.turns.map((turn) => [turn.status, turn.errorCode ?? '']),
      [
        ['completed', ''],
        ['failed', 'environment'],
        ['failed', 'superseded'],
        ['in_progress', ''],
      ],
    );
    assert.ok(now - Date.parse(session.lastUpdated) < 10 * 60_000 && Date.parse(session.lastUpdated) <= now);
    assert.match(session.turns[2]!.errorMessage!, new RegExp(session.turns[3]!.requestId), 'the superseded turn names its successor, moved too');

    const adr = read(path.join(demo, 'projects/demo-app/decisions/ADR-001-use-jwt-for-authentication.md'));
    assert.match(adr, /^decisionStatus: accepted$/m);
    const reports = fs.readdirSync(path.join(demo, 'reports'));
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /^\d{4}-W\d{2}\.md$/);
    assert.match(read(path.join(demo, 'reports', reports[0]!)), /^---\ntitle: Week \d{4}-W\d{2}\ntype: report\n/);
    const report = cli(['report', '--all', '--since', '365d', '--json'], { cwd: demo });
    assert.equal(report.status, 0, report.stderr);
  });
});
