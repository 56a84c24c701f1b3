import * as vscode from 'vscode';
import { AgentSessionNode, EntryNode, HitNode, SessionNode, TurnNode, type Target } from './nodes';

/** What a tree item command was given: a node of the Sessions view, or `{ uri, line }` (status bar, follow-ups, other callers). */
export function targetOf(given: unknown): Target | undefined {
  if (
    given instanceof SessionNode ||
    given instanceof EntryNode ||
    given instanceof AgentSessionNode ||
    given instanceof TurnNode ||
    given instanceof HitNode
  ) {
    return given.target;
  }
  if (given && typeof given === 'object') {
    const { uri, line, turnNumber } = given as { uri?: unknown; line?: unknown; turnNumber?: unknown };
    const parsed = uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined;
    if (parsed) return { uri: parsed, line: typeof line === 'number' ? line : 0, ...(typeof turnNumber === 'number' ? { turnNumber } : {}) };
  }
  return undefined;
}
