/** The reports' knowledge base: two projects (app, site), a clock the test moves, and the sessions, turns and decisions of one week. Shared by the in-process report tests and the CLI's. */
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { AgentSessions } from '../../src/core/agent/sessions';
import { recordDecision } from '../../src/core/usecases/decisions';
import { listFollowUps, setFollowUpDone } from '../../src/core/usecases/followUps';
import { logSession } from '../../src/core/usecases/logSession';
import { tempDir, write } from './files';
import { coreDeps, type TestDeps } from './core';

/** A knowledge base with two projects (app, site) whose clock the test moves. */
export function knowledgeBase(t: TestContext): { kb: string; clock: { at: string }; deps: (project?: string) => TestDeps } {
  const kb = tempDir(t);
  write(path.join(kb, 'app/.kbcontext'), 'project: app\nprimary: projects/app\n');
  write(path.join(kb, 'site/.kbcontext'), 'project: site\nprimary: projects/site\n');
  const clock = { at: '2026-11-23T08:00:00Z' };
  return { kb, clock, deps: (project = 'app') => coreDeps({ cwd: path.join(kb, project), env: { MEMEX_KB_ROOT: kb }, now: () => new Date(clock.at) }) };
}

export async function log(
  base: ReturnType<typeof knowledgeBase>,
  at: string,
  message: string,
  extra: Partial<Parameters<typeof logSession>[1]> = {},
  project = 'app',
) {
  base.clock.at = at;
  return logSession(base.deps(project), { message, ...extra });
}

/** Week 2026-W48 (Mon 23 – Sun 29 November 2026), with a session on each side of it. */
export async function week48(t: TestContext) {
  const base = knowledgeBase(t);
  await log(base, '2026-11-22T23:30:00Z', 'Sunday before: not this week', { decisions: [{ decision: 'Old decision' }] });
  await log(base, '2026-11-23T08:05:00Z', 'Implemented OAuth2 flow', {
    tags: ['auth'],
    files: ['src/auth.ts', 'src/app.ts'],
    followUps: ['Add refresh token rotation', 'Write the docs'],
  });
  await log(base, '2026-11-23T16:45:00Z', 'Auth middleware done', {
    files: ['src/auth.ts'],
    decisions: [{ decision: 'Used jose for JWT', rationale: 'type-safe, no native deps' }],
    next: 'Start with src/auth/refresh.ts',
  });
  await log(base, '2026-11-25T10:00:00Z', 'Landing page copy', { files: ['index.html'] }, 'site');
  await log(base, '2026-11-30T09:00:00Z', 'Monday after: not this week', { next: 'A hint left after the week' });
  base.clock.at = '2026-11-24T09:00:00Z';
  await recordDecision(base.deps(), { title: 'Use JWT for authentication', decision: 'JWT with jose', cwd: path.join(base.kb, 'app') });
  const deps = base.deps();
  const followUps = await listFollowUps(deps, { cwd: path.join(base.kb, 'app') });
  const docs = followUps.find((item) => item.text === 'Write the docs')!;
  await setFollowUpDone(deps, { file: path.join(base.kb, docs.path), sessionIndex: docs.sessionIndex, text: docs.text, done: true });

  const agent = new AgentSessions(deps);
  await agent.openSession({ agent: 'Codex', title: 'Refresh tokens' });
  for (const [minute, end] of [
    ['10', 'complete'],
    ['20', 'fail'],
    ['30', 'supersede'],
    ['40', 'complete'],
  ] as const) {
    base.clock.at = `2026-11-24T11:${minute}:00Z`;
    await agent.beginTurn({ queryTitle: `Turn at ${minute}` });
    if (end === 'complete') await agent.completeTurn({ response: 'done' });
    else if (end === 'fail') await agent.failTurn({ errorMessage: 'Tests failed on CI' });
    else await agent.failTurn({ errorMessage: 'Replaced by a newer turn', errorCode: 'superseded' });
  }
  base.clock.at = '2026-11-26T12:00:00Z';
  const copilot = new AgentSessions(deps);
  await copilot.openSession({ agent: 'Copilot', title: 'Docs' });
  await copilot.beginTurn({ queryTitle: 'Still going' });
  await copilot.appendActions({ actions: [{ description: 'Edited', type: 'edit', filePath: 'src/auth.ts' }] });
  base.clock.at = '2026-12-01T12:00:00Z';
  return base;
}
