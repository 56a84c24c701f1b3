import * as vscode from 'vscode';
import type { Session } from '../../../core/model/session';
import { AgentSessionNode } from '../../views/nodes/agentSession';
import { SessionNode } from '../../views/nodes/session';
import { TurnNode } from '../../views/nodes/turn';
import type { Services } from '../../services';
import type { Command } from '../command';

/** A session in the log-session skill's JSON shape. */
interface Seed002Session {
  id: string;
  date: string;
  summary: string;
  files_modified: string[];
  decisions_made: { decision: string; rationale: string }[];
  follow_up: string[];
  tags: string[];
  context_for_next_session: string;
}

function toSeed002(session: Session): Seed002Session {
  const time = session.timestamp ?? '';
  const compact = time ? time.replace(/[-:]/g, '').replace(/Z$/, '') : '';
  return {
    id: compact ? `session-${compact.slice(0, 8)}-${compact.slice(9, 15)}` : `session-${session.index + 1}`,
    date: time.slice(0, 10),
    summary: session.message,
    files_modified: session.files,
    decisions_made: session.decisions.map(({ decision, rationale }) => ({ decision, rationale: rationale ?? '' })),
    follow_up: session.followUps.map((followUp) => followUp.text),
    tags: session.tags,
    context_for_next_session: session.next ?? '',
  };
}

/** Copies a session as the log-session skill's JSON; an agent session (or a turn's session) as the core reads it, with every turn. */
async function run(services: Services, node: unknown): Promise<string | undefined> {
  let value: unknown;
  if (node instanceof SessionNode) value = toSeed002(node.session);
  else if (node instanceof AgentSessionNode) value = await services.model.agentSession(node.folder, node.session.sessionId);
  else if (node instanceof TurnNode) value = node.turn;
  if (value === undefined) return undefined;
  const text = JSON.stringify(value, null, 2);
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage('$(copy) Session copied as JSON', 3000);
  return text;
}

export const copyJson: Command = { id: 'sessionlog.sessions.copyJson', run };
