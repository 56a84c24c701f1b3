/**
 * Every file Session Log puts in a knowledge base is a valid memex entry, so memex users' tools
 * (`mx get`, `mx search`, `mx whats-new`, `mx health`) keep working on a shared knowledge base:
 * session entries, agent session files after every operation, decision records and saved reports.
 * Agent sessions and decision records keep their own status under `sessionStatus` and
 * `decisionStatus`; files written in the earlier form (`status: in_progress`, `started`, `tags: []`,
 * `status: accepted`) are still read, and become valid entries on their next write.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { AgentSessions } from '../../src/core/agent/sessions';
import { collectActivity } from '../../src/core/report/collect';
import { buildReport } from '../../src/core/report/report';
import { saveReport } from '../../src/core/report/save';
import { documentsOf } from '../../src/core/search/documents';
import { listDecisions, recordDecision } from '../../src/core/usecases/decisions';
import { logSession } from '../../src/core/usecases/logSession';
import { memexEntryProblems } from '../support/memexEntry';
import { FIXTURES } from '../support/paths';
import { read, tempDir, write } from '../support/files';
import { coreDeps } from '../support/core';

function assertMemexEntry(file: string, when: string): string {
  const text = read(file);
  assert.deepEqual(memexEntryProblems(text), [], `${path.basename(file)} ${when} is not a valid memex entry:\n${text.slice(0, 900)}`);
  return text;
}

function kb(t: TestContext, clock: { at: string }) {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
  return { root, deps: coreDeps({ cwd: root, now: () => new Date(clock.at) }) };
}

describe('the memex entry checker', () => {
  it('accepts what memex writes and refuses what memex refuses', () => {
    for (const name of ['sessions.md', 'fresh.md']) {
      assert.deepEqual(memexEntryProblems(read(path.join(FIXTURES, 'memex-0.1.1/projects/mx', name))), [], name);
    }
    const valid = "---\ntitle: T\ntags:\n  - a\ncreated: '2026-12-02T10:51:40'\n---\n\nBody\n";
    assert.deepEqual(memexEntryProblems(valid), []);
    const broken: [string, RegExp][] = [
      ['Body only\n', /no frontmatter/],
      [valid.replace('title: T', 'title: yes'), /title must be a string/],
      [valid.replace('tags:\n  - a', 'tags: []'), /tags must not be empty/],
      [valid.replace('tags:\n  - a\n', ''), /tags must be a list/],
      [valid.replace("created: '2026-12-02T10:51:40'\n", ''), /created is missing/],
      [valid.replace("'2026-12-02T10:51:40'", "'2026-12-02T10:51:40Z'"), /created must be a naive UTC time/],
      [valid.replace("'2026-12-02T10:51:40'", '2026-12-02T10:51:40Z'), /created has a zone/],
      [valid.replace('---\n\n', 'status: in_progress\n---\n\n'), /status must be one of draft, published, archived/],
      [valid.replace('---\n\n', 'updated: 2026-12-02 10:51:40+00:00\n---\n\n'), /updated has a zone/],
      [valid.replace('---\n\n', 'contributors: alice\n---\n\n'), /contributors must be a list/],
    ];
    for (const [text, problem] of broken) assert.match(memexEntryProblems(text).join('; '), problem, text);
  });
});

describe('every file Session Log writes is a valid memex entry', () => {
  it('an agent session after every operation, its summary grown past its room, and once closed', async (t) => {
    const clock = { at: '2026-04-09T12:00:01Z' };
    const { root, deps } = kb(t, clock);
    const sessions = new AgentSessions(deps, { cwd: root });
    const sessionId = 'Codex-20260409T120001Z-memex';
    const file = path.join(root, 'projects/demo/agent-sessions', `${sessionId}.md`);
    const tick = (second: number) => (clock.at = `2026-04-09T12:00:${String(second).padStart(2, '0')}Z`);
    await sessions.openSession({ agent: 'Codex', sessionId, title: 'Implement JWT authentication', model: 'gpt-5.4' });
    let text = assertMemexEntry(file, 'after openSession');
    assert.match(text, /\ncreated: '2026-04-09T12:00:01'\nupdated: '2026-04-09T12:00:01'\nstatus: published\nsessionStatus: in_progress\n/);
    assert.match(text, /\ntags:\n {2}- agent-session\n/, 'a tag memex requires, with no tag of the session yet');
    const steps: [string, () => Promise<unknown>][] = [
      ['beginTurn', () => sessions.beginTurn({ requestId: 'req-20260409T120002Z-jwt', queryTitle: 'Add JWT', queryText: 'Implement it' })],
      ['updateTurn', () => sessions.updateTurn({ response: 'Working', tags: ['feature', 'security'], contextList: ['src/a.ts'] })],
      ['appendDialog', () => sessions.appendDialog({ dialogItems: [{ role: 'model', category: 'reasoning', content: 'Thinking' }] })],
      ['appendActions', () => sessions.appendActions({ actions: [{ order: 1, type: 'create', status: 'completed', filePath: 'src/a.ts', description: 'A' }] })],
      ['completeTurn', () => sessions.completeTurn({ response: 'Done' })],
      ['beginTurn again', () => sessions.beginTurn({ requestId: 'req-20260409T120010Z-more', queryTitle: 'More' })],
      [
        'appendActions with many files (the summary outgrows its room)',
        () =>
          sessions.appendActions({
            actions: Array.from({ length: 60 }, (_, i) => ({
              order: i + 2,
              type: 'edit',
              status: 'completed',
              filePath: `src/module-${i}/file.ts`,
              description: 'E',
            })),
          }),
      ],
      ['failTurn', () => sessions.failTurn({ errorMessage: 'No luck', errorCode: 'dependency_missing' })],
      ['closeSession', () => sessions.closeSession({ sessionId, summary: 'Done for today' })],
    ];
    let second = 2;
    for (const [name, step] of steps) {
      tick(second++);
      await step();
      text = assertMemexEntry(file, `after ${name}`);
    }
    assert.match(text, /\nupdated: '2026-04-09T12:00:10'\nstatus: published\nsessionStatus: completed\n/);
    assert.match(text, /\ntags:\n {2}- agent-session\n {2}- feature\n {2}- security\n/);
    const [listed] = (await sessions.queryHistory({})).sessions;
    assert.equal(listed?.status, 'completed');
    assert.equal(listed?.started, '2026-04-09T12:00:01Z');
    assert.equal(listed?.lastUpdated, '2026-04-09T12:00:10Z');
    assert.deepEqual(listed?.tags, ['feature', 'security'], 'the memex tag is not one of the session');
    assert.equal(listed?.filesModifiedCount, 61);
  });

  it('text that YAML 1.1 (memex) reads as a boolean, number or date stays a string: a title "Yes", tags on and no', async (t) => {
    const clock = { at: '2026-04-09T12:00:01Z' };
    const { root, deps } = kb(t, clock);
    write(path.join(root, '.kbcontext'), 'project: "on"\nprimary: projects/demo\n');
    const sessions = new AgentSessions(deps, { cwd: root });
    const sessionId = 'Codex-20260409T120001Z-yes';
    await sessions.openSession({ agent: 'Codex', sessionId, title: 'Yes', model: '12:30' });
    await sessions.beginTurn({ requestId: 'req-20260409T120002Z-yes', queryTitle: 'No' });
    await sessions.updateTurn({ tags: ['on', 'no', '2026-04-09', 'null'] });
    assertMemexEntry(path.join(root, 'projects/demo/agent-sessions', `${sessionId}.md`), 'with such a title, model and tags');
    const [listed] = (await sessions.queryHistory({})).sessions;
    assert.equal(listed?.title, 'Yes');
    assert.equal(listed?.model, '12:30');
    assert.deepEqual(listed?.tags, ['on', 'no', '2026-04-09', 'null']);
    const record = await recordDecision(deps, { title: 'Yes', decision: 'Off', cwd: root });
    assertMemexEntry(path.join(root, record.path), 'titled Yes, tagged on');
    assert.equal((await listDecisions(deps, { cwd: root }))[0]?.title, 'Yes');
    await logSession(deps, { message: 'An entry of project on', cwd: root });
    assertMemexEntry(path.join(root, 'projects/demo/sessions.md'), 'of a project named on');
  });

  it('a decision record and a saved report', async (t) => {
    const clock = { at: '2026-11-24T09:00:00Z' };
    const { root, deps } = kb(t, clock);
    await logSession(deps, { message: 'Auth work', cwd: root });
    const record = await recordDecision(deps, { title: 'Use JWT for authentication', decision: 'JWT with jose', status: 'proposed', cwd: root });
    const text = assertMemexEntry(path.join(root, record.path), 'as recorded');
    assert.match(text, /\ncreated: '2026-11-24T09:00:00'\ndate: '2026-11-24'\nstatus: published\ndecisionStatus: proposed\n/);
    assert.equal((await listDecisions(deps, { cwd: root }))[0]?.status, 'proposed');
    assert.equal(documentsOf(record.path, text)[0]?.status, 'proposed');
    assert.equal((await collectActivity(deps, { cwd: root })).records[0]?.status, 'proposed');

    const report = await buildReport(deps, { week: '2026-W48', timeZone: 'UTC', cwd: root });
    const saved = await saveReport(deps, root, report);
    const first = assertMemexEntry(path.join(root, saved.path), 'as saved');
    assert.match(first, /\ncreated: '2026-11-24T09:00:00'\n/);
    clock.at = '2026-11-25T10:00:00Z';
    assert.equal(
      (await saveReport(deps, root, await buildReport(deps, { week: '2026-W48', timeZone: 'UTC', cwd: root }))).action,
      'unchanged',
      'the same report later',
    );
    await logSession(deps, { message: 'More auth work', cwd: root });
    assert.equal((await saveReport(deps, root, await buildReport(deps, { week: '2026-W48', timeZone: 'UTC', cwd: root }))).action, 'updated');
    const second = assertMemexEntry(path.join(root, saved.path), 'as updated');
    assert.match(second, /\ncreated: '2026-11-24T09:00:00'\nupdated: '2026-11-25T10:00:00'\n/, 'created kept, updated set');
  });
});

describe('files written before they were memex entries', () => {
  const OLD_SESSION = [
    '---',
    'type: agent-session',
    'agent: Codex',
    'sessionId: Codex-20260409T120001Z-old',
    'title: Old form',
    'source_project: elsewhere',
    'started: 2026-04-09T12:00:01Z',
    'lastUpdated: 2026-04-09T12:00:03Z',
    'status: in_progress',
    'turnCount: 1',
    'filesModifiedCount: 0',
    'filesModified: []',
    'tags: []',
    'currentTurn: req-20260409T120002Z-old',
    'currentTurnStatus: in_progress',
    'currentTurnUpdated: 2026-04-09T12:00:03Z',
    '#                                                            ',
    '---',
    '',
    '# Old form',
    '',
    '## Turn 1 · Old turn',
    '',
    '- Request: `req-20260409T120002Z-old`',
    '- Started: 2026-04-09T12:00:02Z',
    '',
  ].join('\n');

  it('an agent session in the old form is read, and written back as a valid memex entry keeping its own keys', async (t) => {
    const clock = { at: '2026-04-09T12:00:04Z' };
    const { root, deps } = kb(t, clock);
    const file = write(path.join(root, 'projects/demo/agent-sessions/Codex-20260409T120001Z-old.md'), OLD_SESSION);
    const sessions = new AgentSessions(deps, { cwd: root });
    const [listed] = (await sessions.queryHistory({ status: 'in_progress' })).sessions;
    assert.equal(listed?.sessionId, 'Codex-20260409T120001Z-old');
    assert.equal(listed?.started, '2026-04-09T12:00:01Z');
    assert.equal(listed?.lastUpdated, '2026-04-09T12:00:03Z');
    assert.equal(documentsOf('projects/demo/agent-sessions/x.md', OLD_SESSION)[0]?.status, 'in_progress');
    await sessions.completeTurn({ sessionId: 'Codex-20260409T120001Z-old', response: 'Finished' });
    const text = assertMemexEntry(file, 'after a turn operation on the old form');
    assert.match(text, /\ncreated: '2026-04-09T12:00:01'\nupdated: '2026-04-09T12:00:04'\nstatus: published\nsessionStatus: in_progress\n/);
    assert.match(text, /^source_project: elsewhere$/m, 'a key memex knows is kept');
    assert.doesNotMatch(text, /^(started|lastUpdated):/m, 'one key for each time');
    const session = await sessions.getSession({ sessionId: 'Codex-20260409T120001Z-old' });
    assert.equal(session.turns[0]?.status, 'completed');
    assert.equal(session.started, '2026-04-09T12:00:01Z');
  });

  it('a status memex set (archived) is kept through our writes; times memex re-serialised are read', async (t) => {
    const clock = { at: '2026-04-09T12:00:05Z' };
    const { root, deps } = kb(t, clock);
    const sessions = new AgentSessions(deps, { cwd: root });
    clock.at = '2026-04-09T12:00:01Z';
    await sessions.openSession({ agent: 'Codex', sessionId: 'Codex-20260409T120001Z-kept', title: 'Kept' });
    const file = path.join(root, 'projects/demo/agent-sessions/Codex-20260409T120001Z-kept.md');
    fs.writeFileSync(
      file,
      read(file).replace('status: published', 'status: archived').replace("created: '2026-04-09T12:00:01'", 'created: 2026-04-09 12:00:01.000000+00:00'),
    );
    assert.equal((await sessions.queryHistory({})).sessions[0]?.started, '2026-04-09T12:00:01Z', "memex's own form of a time");
    clock.at = '2026-04-09T12:00:05Z';
    await sessions.beginTurn({ sessionId: 'Codex-20260409T120001Z-kept', requestId: 'req-20260409T120005Z-next', queryTitle: 'Next' });
    const text = assertMemexEntry(file, 'after beginTurn');
    assert.match(text, /\nstatus: archived\nsessionStatus: in_progress\n/);
  });

  it('a decision record with its status as status is read by every reader', async (t) => {
    const { root, deps } = kb(t, { at: '2026-03-20T10:00:00Z' });
    await logSession(deps, { message: 'x', cwd: root });
    const relative = 'projects/demo/decisions/ADR-001-old.md';
    const text = "---\nid: ADR-001\ntitle: Old record\ndate: '2026-03-20'\nstatus: deprecated\ntags:\n  - adr\n---\n\n# ADR-001: Old record\n";
    write(path.join(root, relative), text);
    assert.equal((await listDecisions(deps, { cwd: root }))[0]?.status, 'deprecated');
    assert.equal(documentsOf(relative, text)[0]?.status, 'deprecated');
    assert.equal((await collectActivity(deps, { cwd: root })).records[0]?.status, 'deprecated');
  });
});
