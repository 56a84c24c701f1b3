import * as vscode from 'vscode';
import { Node, type Target } from './nodes/node';

/** What a tree item command was given: a node of a view, or `{ uri, line }` (status bar, other callers). */
export function targetOf(given: unknown): Target | undefined {
  if (given instanceof Node) return given.target;
  if (given && typeof given === 'object') {
    const { uri, line, turnNumber } = given as { uri?: unknown; line?: unknown; turnNumber?: unknown };
    const parsed = uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined;
    if (parsed) return { uri: parsed, line: typeof line === 'number' ? line : 0, ...(typeof turnNumber === 'number' ? { turnNumber } : {}) };
  }
  return undefined;
}
