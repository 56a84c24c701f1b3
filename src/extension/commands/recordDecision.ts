import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DecisionRecord } from '../../core/usecases/decisions';
import { decisionForm } from '../forms/decisionForm';
import { MultiStepInput, ScriptedInput, type Answers } from '../forms/multiStepInput';
import { openAt } from '../editor';
import type { Services } from '../services';
import { recordDecisionFromVsCode } from '../writePath';
import type { Command } from './command';

/** What `sessionlog.recordDecision` may be given: the folder and the form's answers (title, context, decision, rationale, alternatives, consequences, status). */
interface RecordDecisionArgs {
  cwd?: string | vscode.Uri;
  answers?: Answers;
}

/** Session: Record Decision — an ADR form, written as the next ADR-NNN beside the project's entry. */
async function run(services: Services, args?: RecordDecisionArgs): Promise<DecisionRecord | undefined> {
  const folder = await services.folders.choose(args?.cwd, 'Record Decision');
  const entry = await folder.entry();
  const options = await folder.options();
  const where = path.posix.join(path.posix.dirname(entry.relativePath), 'decisions');
  const answers = await decisionForm(args?.answers ? new ScriptedInput(args.answers) : new MultiStepInput(), where);
  if (!answers) return undefined;
  const result = await recordDecisionFromVsCode(services, folder, answers);
  await openAt(folder.uriOf(path.posix.join(options.kbRoot, result.path)), 0);
  return result;
}

export const recordDecision: Command = { id: 'sessionlog.recordDecision', run };
