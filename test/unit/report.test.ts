/**
 * Reports on a fixed knowledge base written with the real use cases and a chosen clock: counts per
 * project, calendar weeks and months across a year boundary and a DST change, --all and --project,
 * --save (idempotent, never over a file that is not a report). The CLI's formats: test/cli/report.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildReport, type Report } from '../../src/core/report/report';
import { renderMarkdown } from '../../src/core/report/render';
import { saveReport } from '../../src/core/report/save';
import { read, write } from '../support/files';
import { knowledgeBase, log, week48 } from '../support/reportKb';

const report = (base: ReturnType<typeof knowledgeBase>, input: Partial<Parameters<typeof buildReport>[1]> = {}, project = 'app'): Promise<Report> =>
  buildReport(base.deps(project), { cwd: path.join(base.kb, project), timeZone: 'UTC', week: '2026-W48', ...input });

describe('report: what a week holds', () => {
  it('counts sessions, agent turns by outcome, decisions, follow-ups, files, days and the standing hint of the week', async (t) => {
    const base = await week48(t);
    const result = await report(base);
    assert.deepEqual(result.period, { kind: 'week', label: '2026-W48', since: '2026-11-23', until: '2026-11-29', timeZone: 'UTC' });
    assert.equal(result.projects.length, 1, "this folder's project only");
    const app = result.projects[0]!;
    assert.equal(app.name, 'app');
    assert.equal(app.entry, 'projects/app/sessions.md');
    assert.deepEqual(
      app.sessions.map((s) => [s.date, s.time, s.summary]),
      [
        ['2026-11-23', '08:05', 'Implemented OAuth2 flow'],
        ['2026-11-23', '16:45', 'Auth middleware done'],
      ],
    );
    assert.deepEqual(
      { ...app.turns, byAgent: undefined, notCompleted: undefined },
      { completed: 2, failed: 1, superseded: 1, in_progress: 1, byAgent: undefined, notCompleted: undefined },
    );
    assert.deepEqual(app.turns.byAgent, [
      { agent: 'Codex', completed: 2, failed: 1, superseded: 1, in_progress: 0 },
      { agent: 'Copilot', completed: 0, failed: 0, superseded: 0, in_progress: 1 },
    ]);
    assert.deepEqual(
      app.turns.notCompleted.map((turn) => [turn.outcome, turn.title, turn.error, turn.turn]),
      [
        ['failed', 'Turn at 20', 'Tests failed on CI', 2],
        ['superseded', 'Turn at 30', 'Replaced by a newer turn', 3],
      ],
    );
    assert.deepEqual(
      app.decisions.map((d) => [d.decision, d.rationale, d.date]),
      [['Used jose for JWT', 'type-safe, no native deps', '2026-11-23']],
    );
    assert.deepEqual(
      app.records.map((r) => [r.id, r.title, r.status, r.date]),
      [['ADR-001', 'Use JWT for authentication', 'accepted', '2026-11-24']],
    );
    assert.deepEqual(app.followUps, {
      opened: 2,
      done: 1,
      items: [
        { path: 'projects/app/sessions.md', line: app.sessions[0]!.line, text: 'Add refresh token rotation', done: false, date: '2026-11-23' },
        { path: 'projects/app/sessions.md', line: app.sessions[0]!.line, text: 'Write the docs', done: true, date: '2026-11-23' },
      ],
    });
    assert.deepEqual(app.filesTouched, [
      { file: 'src/auth.ts', count: 3 },
      { file: 'src/app.ts', count: 1 },
    ]);
    assert.deepEqual(app.days, [
      { date: '2026-11-23', sessions: 2, turns: 0, first: '08:05', last: '16:45' },
      { date: '2026-11-24', sessions: 0, turns: 4, first: '11:10', last: '11:40' },
      { date: '2026-11-26', sessions: 0, turns: 1, first: '12:00', last: '12:00' },
    ]);
    assert.equal(app.next?.text, 'Start with src/auth/refresh.ts', "the hint standing at the week's end, not the one left after it");
    assert.deepEqual(
      { ...result.totals },
      {
        projects: 1,
        sessions: 2,
        turns: 5,
        completed: 2,
        failed: 1,
        superseded: 1,
        in_progress: 1,
        decisions: 2,
        followUpsOpened: 2,
        followUpsDone: 1,
      },
    );
  });

  it('reads as a stand-up note in Markdown', async (t) => {
    const base = await week48(t);
    const text = renderMarkdown(await report(base));
    assert.match(
      text,
      /^# Week 2026-W48 · app\n\nMon 23 Nov 2026 – Sun 29 Nov 2026 \(UTC\) · 2 sessions · 5 agent turns \(2 completed, 1 failed, 1 superseded, 1 in progress\) · 2 decisions · 2 follow-ups opened, 1 done\n/,
    );
    assert.match(text, /\nRelated: \[\[projects\/app\/sessions\.md\]\]\n/);
    assert.match(text, /\n## Days worked\n\n- Mon 23 Nov: 08:05–16:45 · 2 sessions\n- Tue 24 Nov: 11:10–11:40 · 4 agent turns\n/);
    assert.match(
      text,
      /\n- Codex: 2 completed, 1 failed, 1 superseded\n- Copilot: 0 completed, 0 failed, 0 superseded, 1 in progress\n  - failed \(Codex, Tue 24 Nov\): Turn at 20 · Tests failed on CI\n/,
    );
    assert.match(text, /\n## Follow-ups \(2 opened, 1 done\)\n\n- \[ \] Add refresh token rotation \(Mon 23 Nov\)\n- \[x\] Write the docs \(Mon 23 Nov\)\n/);
    assert.match(
      text,
      /\n- ADR-001: Use JWT for authentication \(accepted, Tue 24 Nov\) \[\[projects\/app\/decisions\/ADR-001-use-jwt-for-authentication\.md\]\]\n/,
    );
    assert.match(text, /\n## Next session\n\n- Start with src\/auth\/refresh\.ts \(left Mon 23 Nov\)\n$/);
  });

  it('--all takes every project; --project one by name; an unknown name lists the projects there are', async (t) => {
    const base = await week48(t);
    write(path.join(base.kb, 'reports/2026-W47.md'), '---\ntype: report\n---\n\n## 2026-11-24 10:00 UTC\n\nA saved report is not activity.\n');
    const all = await report(base, { all: true });
    assert.deepEqual(
      all.projects.map((p) => [p.name, p.sessions.length]),
      [
        ['app', 2],
        ['site', 1],
      ],
    );
    assert.equal(all.totals.projects, 2);
    assert.equal(all.totals.sessions, 3);
    const site = await report(base, { project: 'site' });
    assert.deepEqual(
      site.projects.map((p) => [p.name, p.folder, p.sessions.map((s) => s.summary)]),
      [['site', 'projects/site', ['Landing page copy']]],
    );
    assert.equal((await report(base, { project: 'projects/site' })).totals.sessions, 1, 'by folder too');
    await assert.rejects(report(base, { project: 'nope' }), /project 'nope' is not a project of the knowledge base/);
    await assert.rejects(report(base, { project: 'nope' }), (error: Error & { hint?: string }) => error.hint === 'Give one of: app, site.');
  });
});

describe('report: periods', () => {
  it('a week and a month across the year boundary (2026-W53 runs Mon 28 Dec 2026 to Sun 3 Jan 2027)', async (t) => {
    const base = knowledgeBase(t);
    await log(base, '2026-12-27T12:00:00Z', 'Sunday of W52');
    await log(base, '2026-12-31T12:00:00Z', "New Year's Eve");
    await log(base, '2026-12-31T23:30:00Z', 'Just before midnight UTC, after it in Berlin');
    await log(base, '2027-01-02T12:00:00Z', 'Saturday of 2026-W53');
    await log(base, '2027-01-04T12:00:00Z', 'Monday of 2027-W01');
    const summaries = (r: Report) => r.projects.flatMap((p) => p.sessions.map((s) => s.summary));
    base.clock.at = '2027-01-05T09:00:00Z';
    const lastWeek = await report(base, { week: 'last' });
    assert.deepEqual(
      { label: lastWeek.period.label, since: lastWeek.period.since, until: lastWeek.period.until },
      { label: '2026-W53', since: '2026-12-28', until: '2027-01-03' },
    );
    assert.deepEqual(summaries(lastWeek), ["New Year's Eve", 'Just before midnight UTC, after it in Berlin', 'Saturday of 2026-W53']);
    assert.equal((await report(base, { week: 'this' })).period.label, '2027-W01');
    assert.deepEqual(summaries(await report(base, { week: undefined, month: 'last' })), [
      'Sunday of W52',
      "New Year's Eve",
      'Just before midnight UTC, after it in Berlin',
    ]);
    const berlin = await report(base, { week: undefined, month: '2026-12', timeZone: 'Europe/Berlin' });
    assert.deepEqual(summaries(berlin), ['Sunday of W52', "New Year's Eve"], "at 00:30 on 1 January in Berlin it is next year's");
    assert.deepEqual(summaries(await report(base, { week: undefined, month: '2027-01', timeZone: 'Europe/Berlin' })), [
      'Just before midnight UTC, after it in Berlin',
      'Saturday of 2026-W53',
      'Monday of 2027-W01',
    ]);
    assert.deepEqual((await report(base, { week: undefined, month: '2027-01', timeZone: 'Europe/Berlin' })).projects[0]!.days[0], {
      date: '2027-01-01',
      sessions: 1,
      turns: 0,
      first: '00:30',
      last: '00:30',
    });
  });

  it('a week across the end of daylight saving time counts local days (Berlin, 25 October 2026 lasts 25 hours)', async (t) => {
    const base = knowledgeBase(t);
    await log(base, '2026-10-18T21:30:00Z', 'Sunday 23:30 CEST: the week before');
    await log(base, '2026-10-18T22:30:00Z', 'Monday 00:30 CEST: first of the week');
    await log(base, '2026-10-24T06:00:00Z', 'Saturday 08:00 CEST');
    await log(base, '2026-10-25T06:00:00Z', 'Sunday 07:00 CET, after the change');
    await log(base, '2026-10-25T22:30:00Z', 'Sunday 23:30 CET: last of the week');
    await log(base, '2026-10-25T23:30:00Z', 'Monday 00:30 CET: the week after');
    const week = await report(base, { week: '2026-W43', timeZone: 'Europe/Berlin' });
    const app = week.projects[0]!;
    assert.deepEqual(
      app.sessions.map((s) => [s.date, s.time]),
      [
        ['2026-10-19', '00:30'],
        ['2026-10-24', '08:00'],
        ['2026-10-25', '07:00'],
        ['2026-10-25', '23:30'],
      ],
    );
    assert.deepEqual(app.days.at(-1), { date: '2026-10-25', sessions: 2, turns: 0, first: '07:00', last: '23:30' });
    const utc = await report(base, { week: '2026-W43', timeZone: 'UTC' });
    assert.deepEqual(
      utc.projects[0]!.sessions.map((s) => s.summary),
      ['Saturday 08:00 CEST', 'Sunday 07:00 CET, after the change', 'Sunday 23:30 CET: last of the week', 'Monday 00:30 CET: the week after'],
      'in UTC the week holds a different set',
    );
  });

  it('--since Nd and since/until ranges; bad periods name the field and say what to give', async (t) => {
    const base = knowledgeBase(t);
    await log(base, '2026-11-20T12:00:00Z', 'Friday');
    await log(base, '2026-11-26T12:00:00Z', 'Thursday');
    base.clock.at = '2026-11-26T18:00:00Z';
    const seven = await report(base, { week: undefined, since: '7d' });
    assert.deepEqual({ kind: seven.period.kind, label: seven.period.label }, { kind: 'range', label: '2026-11-20..2026-11-26' });
    assert.equal(seven.totals.sessions, 2);
    assert.equal((await report(base, { week: undefined, since: '6d' })).totals.sessions, 1);
    assert.equal((await report(base, { week: undefined, since: '2026-11-01', until: '2026-11-20' })).totals.sessions, 1);
    assert.equal((await report(base, { week: undefined })).period.label, '2026-W48', 'this week when nothing is asked');
    await assert.rejects(report(base, { week: undefined, since: '2026-02-30' }), /since '2026-02-30' is not a date/);
    await assert.rejects(report(base, { week: undefined, since: '2026-11-27', until: '2026-11-26' }), /since 2026-11-27 is after until 2026-11-26/);
    await assert.rejects(report(base, { week: '2026-W54' }), /week '2026-W54' is not a week/);
    await assert.rejects(report(base, { week: '2027-W53' }), /week '2027-W53'/, '2027 has 52 weeks');
    await assert.rejects(report(base, { month: 'last', since: '7d' }), /Choose one period/);
    await assert.rejects(report(base, { timeZone: 'Mars/Olympus' }), /'Mars\/Olympus' is not a time zone/);
  });
});

describe('report --save', () => {
  it('writes reports/<project>/<week>.md once; saving again changes nothing; a new session updates it', async (t) => {
    const base = await week48(t);
    const deps = base.deps();
    const first = await saveReport(deps, base.kb, await report(base));
    assert.deepEqual(first, { path: 'reports/app/2026-W48.md', action: 'created' });
    const file = path.join(base.kb, first.path);
    const text = read(file);
    assert.match(
      text,
      /^---\ntitle: Week 2026-W48 · app\ntype: report\ncreated: '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d'\nperiod: 2026-W48\nsince: '2026-11-23'\nuntil: '2026-11-29'\ntimeZone: UTC\ntags:\n  - report\n  - app\n---\n\n# Week 2026-W48 · app\n/,
    );
    const mtime = fs.statSync(file).mtimeMs;
    assert.deepEqual(await saveReport(deps, base.kb, await report(base)), { path: 'reports/app/2026-W48.md', action: 'unchanged' });
    assert.equal(read(file), text);
    assert.equal(fs.statSync(file).mtimeMs, mtime, 'not even rewritten');
    assert.deepEqual(fs.readdirSync(path.join(base.kb, 'reports/app')), ['2026-W48.md']);
    await log(base, '2026-11-27T10:00:00Z', 'Friday work');
    base.clock.at = '2026-12-01T12:00:00Z';
    assert.deepEqual(await saveReport(deps, base.kb, await report(base)), { path: 'reports/app/2026-W48.md', action: 'updated' });
    assert.match(read(file), /Friday work/);
    assert.equal((await report(base)).totals.sessions, 3, 'the saved report is not read back as activity');
    const all = await saveReport(deps, base.kb, await report(base, { all: true }));
    assert.equal(all.path, 'reports/2026-W48.md');
  });

  it('never overwrites a file there that is not a saved report', async (t) => {
    const base = await week48(t);
    const mine = write(path.join(base.kb, 'reports/app/2026-W48.md'), '# My own notes\n');
    await assert.rejects(saveReport(base.deps(), base.kb, await report(base)), /reports\/app\/2026-W48\.md exists and is not a saved report/);
    assert.equal(read(mine), '# My own notes\n');
  });
});
