import * as vscode from 'vscode';
import { failureOf } from '../../../core/errors';
import { inlineName, resolveFilters, splitInlineFilters } from '../../../core/search/query';
import type { Services } from '../../services';
import { AllProjectsNode } from '../../views/nodes/allProjects';
import type { Command } from '../command';

/**
 * Filter All Projects: the filter of the All projects row, typed as in Search Sessions
 * (`tag:auth project:myapp since:7d agent:Codex status:completed`, and words); empty shows every session.
 * `text` is taken as given by other callers (tests, keybindings).
 */
async function run(services: Services, node: unknown, text?: string): Promise<string | undefined> {
  const folder = node instanceof AllProjectsNode ? node.folder : services.folders.all()[0];
  if (!folder) return undefined;
  const value =
    text ??
    (await vscode.window.showInputBox({
      title: 'Filter All Projects',
      value: services.model.filterOf(folder),
      prompt: 'Filters: tag:auth project:myapp since:7d until:2026-04-30 agent:Codex status:completed, and words; empty shows every session.',
      validateInput: (typed) => problemOf(typed),
    }));
  if (value === undefined) return undefined;
  const problem = problemOf(value);
  if (problem) throw new Error(problem);
  services.model.setFilter(folder, value);
  await services.model.settled();
  return value.trim();
}

function problemOf(text: string): string | undefined {
  return failureOf(() => resolveFilters(splitInlineFilters(text).filters, new Date(), inlineName));
}

export const filterAll: Command = { id: 'sessionlog.sessions.filterAll', run };
