import * as vscode from 'vscode';
import { failureOf, SessionLogError } from '../../core/errors';
import { cleanTags, splitTags } from '../../core/model/validate';
import type { LogSessionResult } from '../../core/usecases/logSession';
import { logFromVsCode } from '../writePath';
import type { Services } from '../services';
import type { Command } from './command';

/** What `sessionlog.quickLog` may be given: the text (then no input box opens) and the folder. */
interface QuickLogArgs {
  text?: string;
  cwd?: string | vscode.Uri;
}

/** Session: Quick Log — one line, `#tags` inline, written at once. */
async function run(services: Services, args?: QuickLogArgs | string): Promise<LogSessionResult | undefined> {
  const given = typeof args === 'string' ? { text: args } : (args ?? {});
  const folder = await services.folders.choose(given.cwd, 'Quick Log');
  const entry = await folder.entry();
  const validate = (value: string): string | undefined => {
    const { message, tags } = splitTags(value);
    return message ? failureOf(() => cleanTags(tags, 'tag')) : 'Write what you did; #tags are added as tags.';
  };
  const text =
    given.text ??
    (await vscode.window.showInputBox({
      title: `Quick Log → ${entry.relativePath}`,
      prompt: `One line about what you just did; #tags become tags. Writes to ${entry.relativePath} (${entry.contextSource}).`,
      placeHolder: 'e.g. Fixed the token refresh race #auth #bugfix',
      ignoreFocusOut: true,
      validateInput: validate,
    }));
  if (text === undefined) return undefined;
  const problem = validate(text);
  if (problem) throw new SessionLogError('invalid_input', problem, { field: 'message' }, 'Write a message.');
  return logFromVsCode(services, folder, splitTags(text));
}

export const quickLog: Command = { id: 'sessionlog.quickLog', run };
