import * as path from 'node:path';
import * as vscode from 'vscode';
import { initContext, initDefaults, type InitResult } from '../../core/usecases/initContext';
import { kbContextForm } from '../forms/kbContextForm';
import { MultiStepInput, ScriptedInput, type Answers } from '../forms/multiStepInput';
import { openAt } from '../editor';
import { confineToFolder } from '../folders';
import type { Services } from '../services';
import type { Command } from './command';

/** What `sessionlog.createKbContext` may be given: the folder and the form's answers (project, where, primary or sessionEntry, defaultTags). */
interface CreateKbContextArgs {
  cwd?: string | vscode.Uri;
  answers?: Answers;
}

/** Session: Create .kbcontext — a guided form for the core's initContext in the folder's root. */
async function run(services: Services, args?: CreateKbContextArgs | vscode.Uri): Promise<InitResult | undefined> {
  const given = args instanceof vscode.Uri ? { cwd: args } : args;
  const folder = await services.folders.choose(given?.cwd, 'Create .kbcontext');
  const configured = folder.config().kbRoot;
  const kbRoot = configured ? path.posix.resolve(folder.cwd, configured) : folder.deps.env.get('MEMEX_KB_ROOT') || folder.cwd;
  if (!folder.capabilities.trusted) await confineToFolder(folder.deps.fs, folder.cwd, kbRoot);
  const defaults = await initDefaults(folder.deps, folder.cwd);
  const input = given?.answers ? new ScriptedInput(given.answers) : new MultiStepInput();
  const answers = await kbContextForm(input, defaults, folder.name, kbRoot);
  if (!answers) return undefined;
  const result = await initContext(folder.deps, { cwd: folder.cwd, ...answers, ...(configured ? { kbRoot } : {}) });
  await openAt(folder.uriOf(result.file), 0);
  return result;
}

export const createKbContext: Command = { id: 'sessionlog.createKbContext', run };
