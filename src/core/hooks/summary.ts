import type { OperationContext } from '../agent/operations';
import type { AgentSession } from '../agent/model';
import type { Decision } from '../model/session';
import type { Deps } from '../ports';
import { logSession } from '../usecases/logSession';
import type { AgentSpec } from './agents';
import { firstLine } from '../format/escape';

/**
 * People read the project's session entry, not each agent file: when a captured session ends,
 * one section is appended there summarising it (agent, title, turns and their outcomes, files
 * touched, decisions) and linking to the agent session, so the day's human and agent work
 * reads as one log.
 */
export async function summarizeSession(deps: Deps, context: OperationContext, agent: AgentSpec, sessionId: string): Promise<void> {
  // The whole session (the getSession operation answers a page, sized for a model).
  const session = await context.sessions.getSession({ sessionId });
  if (session.turnCount === 0 && session.turns.length === 0) return;
  await logSession(deps, {
    ...context.workspace,
    message: summaryMessage(agent, session),
    tags: ['agent-session', agent.key],
    links: [session.path],
    files: session.filesModified,
    decisions: decisionsOf(session),
  });
}

export function summaryMessage(agent: AgentSpec, session: AgentSession): string {
  const turns = session.turns;
  const count = (status: string) => turns.filter((turn) => turn.status === status).length;
  const outcome = [
    `${count('completed')} completed`,
    ...(count('failed') ? [`${count('failed')} failed`] : []),
    ...(count('in_progress') ? [`${count('in_progress')} unfinished`] : []),
  ];
  const lines = [
    `${agent.displayName} session: ${session.title} (${turns.length} turn${turns.length === 1 ? '' : 's'}: ${outcome.join(', ')}${session.model ? `; ${session.model}` : ''}).`,
    '',
  ];
  for (const turn of turns) {
    const result =
      turn.status === 'failed'
        ? `failed${turn.errorCode ? ` (${turn.errorCode})` : ''}`
        : turn.status === 'completed'
          ? firstLine(turn.response ?? '', 160) || 'completed'
          : 'unfinished';
    lines.push(`- ${turn.queryTitle}: ${result}`);
  }
  return lines.join('\n');
}

function decisionsOf(session: AgentSession): Decision[] {
  return session.turns.flatMap((turn) =>
    turn.actions.filter((action) => action.type === 'design_decision').map((action) => ({ decision: action.description })),
  );
}
