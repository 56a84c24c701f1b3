import * as vscode from 'vscode';
import { AgentSessionNode } from '../../views/nodes/agentSession';
import { TurnNode } from '../../views/nodes/turn';
import type { Services } from '../../services';
import type { Command } from '../command';

/**
 * Marks a stale turn failed (its agent stopped without completing it), after asking. The core's
 * state machine does the rest: the turn becomes immutable and the session can take a new turn.
 */
async function run(_services: Services, node: unknown, options?: { confirm?: boolean }): Promise<boolean> {
  const target =
    node instanceof TurnNode
      ? { folder: node.folder, sessionId: node.session.sessionId, requestId: node.turn.requestId }
      : node instanceof AgentSessionNode && node.session.staleTurn
        ? { folder: node.folder, sessionId: node.session.sessionId, requestId: node.session.staleTurn }
        : undefined;
  if (!target) return false;
  const minutes = target.folder.config().staleTurnMinutes;
  if (options?.confirm !== false) {
    const choice = await vscode.window.showWarningMessage(
      `Mark turn ${target.requestId} as failed?`,
      {
        modal: true,
        detail: `It has been in progress with no change for over ${minutes} minutes, so its agent has probably stopped. A failed turn cannot be changed again.`,
      },
      'Mark as Failed',
    );
    if (choice !== 'Mark as Failed') return false;
  }
  const sessions = await target.folder.agentSessions();
  await sessions.failTurn({
    sessionId: target.sessionId,
    turnRequestId: target.requestId,
    errorCode: 'stale_turn',
    errorMessage: `Marked as failed in VS Code: no change for over ${minutes} minutes (the agent probably stopped).`,
  });
  return true;
}

export const failStaleTurn: Command = { id: 'sessionlog.sessions.failStaleTurn', run };
