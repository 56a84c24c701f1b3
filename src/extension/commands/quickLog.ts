import * as vscode from 'vscode';
import { describeError, SessionLogError } from '../../core/errors';
import { cleanTags } from '../../core/model/validate';
import { logSession, type LogSessionResult } from '../../core/usecases/logSession';
import { openAt } from '../editor';
import type { FolderContext } from '../folders';
import type { Services } from '../services';

/** What `sessionlog.quickLog` may be given: the text (then no input box opens) and the folder. */
interface QuickLogArgs {
  text?: string;
  cwd?: string | vscode.Uri;
}

const TAG = /(^|\s)#([\p{L}_][^\s#,[\]]*)/gu;

/**
 * Splits inline `#tags` off a quick note: a run of tags at the end is removed, a tag inside the
 * sentence keeps its word ("Fixed #auth bug" → "Fixed auth bug"). `#123` is not a tag.
 */
export function splitTags(text: string): { message: string; tags: string[] } {
  const tags = [...text.matchAll(TAG)].map((match) => match[2]!);
  const trailing = /(?:\s+#[\p{L}_][^\s#,[\]]*)+\s*$/u;
  const message = text.replace(trailing, '').replace(TAG, (_match, space: string, tag: string) => `${space}${tag}`).trim();
  return { message, tags };
}

/** Session: Quick Log — one line, `#tags` inline, written at once. */
export async function quickLog(services: Services, args?: QuickLogArgs | string): Promise<LogSessionResult | undefined> {
  const given = typeof args === 'string' ? { text: args } : args ?? {};
  const folder = await services.folders.choose(given.cwd, 'Quick Log');
  if (!folder) return undefined;
  const entry = await folder.entry();
  const validate = (value: string): string | undefined => {
    const { message, tags } = splitTags(value);
    if (!message) return 'Write what you did; #tags are added as tags.';
    try {
      cleanTags(tags, 'tag');
      return undefined;
    } catch (error) {
      return describeError(error);
    }
  };
  const text = given.text ?? await vscode.window.showInputBox({
    title: `Quick Log → ${entry.relativePath}`,
    prompt: `One line about what you just did; #tags become tags. Writes to ${entry.relativePath} (${entry.contextSource}).`,
    placeHolder: 'e.g. Fixed the token refresh race #auth #bugfix',
    ignoreFocusOut: true,
    validateInput: validate,
  });
  if (text === undefined) return undefined;
  const problem = validate(text);
  if (problem) throw new SessionLogError('invalid_input', problem, { field: 'message' }, 'Write a message.');
  const { message, tags } = splitTags(text);
  const config = folder.config();
  const result = await logSession(folder.deps, {
    ...(await folder.options()), message, tags: [...tags, ...config.defaultTags], redact: config.redactSecrets, backup: config.backup,
  });
  await services.recentTags.remember(tags);
  announceLogged(services, folder, result);
  return result;
}

/** After a write: the views read again at once, and the user is told where it went (with any warning). */
export function announceLogged(services: Services, folder: FolderContext, result: LogSessionResult): void {
  services.model.invalidate(folder, { now: true });
  syncIfWanted(folder);
  services.log.info(`Logged a session to ${result.absolutePath} (${result.action}; ${result.context_source ?? 'explicit'}).`);
  for (const warning of result.warnings) services.log.warn(warning);
  const note = result.warnings.length > 0 ? ` (${result.warnings.join(' ')})` : '';
  void vscode.window.showInformationMessage(`Session logged to ${result.path}${note}`, 'Open Entry').then((choice) => {
    // The new section is the last one: open at the end.
    if (choice) return openAt(folder.uriOf(result.absolutePath), Number.MAX_SAFE_INTEGER);
    return undefined;
  });
}

/** With `sessionlog.syncAfterLog`, syncs in the background; git runs only where the folder may run it. */
export function syncIfWanted(folder: FolderContext): void {
  if (!folder.config().syncAfterLog || !folder.canRunGit) return;
  void vscode.commands.executeCommand('sessionlog.sync', { cwd: folder.uri, background: true });
}
