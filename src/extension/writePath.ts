import * as vscode from 'vscode';
import type { WorkspaceOptions } from '../core/context/resolve';
import { redactDeep } from '../core/model/redact';
import { recordDecision, type DecisionRecord } from '../core/usecases/decisions';
import { logSession, type LogSessionInput, type LogSessionResult } from '../core/usecases/logSession';
import { loggedNotice } from './chat/render';
import { sync } from './commands/sync';
import { openAt } from './editor';
import type { FolderContext } from './folders';
import type { Services } from './services';

/**
 * The one way a session is logged from VS Code. Every writer (the Log Session form, Quick Log,
 * the chat's `/log` and its Write button, the language-model tools) goes through here, so they
 * all apply the folder's settings alike. The views need no reminder: the folder's file system
 * announces the write (see createFileSystem).
 */

/** A session record as a writer has it: the core's input without the workspace and the settings (a new field passes through). */
type SessionInput = Omit<LogSessionInput, keyof WorkspaceOptions | keyof ReturnType<typeof writeSettings> | 'entry' | 'noTimestamp' | 'filesFromGit'>;

/** How writes go in a folder, from its settings: secrets redacted, a backup, and `sessionlog.defaultTags` on every session. */
export function writeSettings(folder: FolderContext): { redact: boolean; backup: boolean; defaultTags: string[] } {
  const config = folder.config();
  return { redact: config.redactSecrets, backup: config.backup, defaultTags: config.defaultTags };
}

/**
 * Logs the record to the folder's entry with its settings, remembers its tags as recent ones,
 * syncs if `sessionlog.syncAfterLog` says so, and tells the user where it went.
 */
export async function logFromVsCode(services: Services, folder: FolderContext, record: SessionInput): Promise<LogSessionResult> {
  const result = await logSession(folder.deps, { ...(await folder.options()), ...record, ...writeSettings(folder) });
  await services.recentTags.remember(record.tags ?? []);
  syncIfWanted(services, folder);
  services.log.info(`Logged a session to ${result.absolutePath} (${result.action}; ${result.context_source ?? 'explicit'}).`);
  for (const warning of result.warnings) services.log.warn(warning);
  const note = result.warnings.length > 0 ? ` (${result.warnings.join(' ')})` : '';
  void vscode.window.showInformationMessage(`${loggedNotice(result)}${note}`, 'Open Entry').then((choice) => {
    // The new section is the last one: open at the end.
    if (choice) return openAt(folder.uriOf(result.absolutePath), Number.MAX_SAFE_INTEGER);
    return undefined;
  });
  return result;
}

/** An ADR as a writer has it: the core's input without the workspace. */
type DecisionFields = Omit<Parameters<typeof recordDecision>[1], keyof WorkspaceOptions | 'entry'>;

/**
 * Records an ADR from VS Code (the Record Decision form, the chat's Record Decision button): the
 * core writes its text as given, so secrets are redacted here as `sessionlog.redactSecrets` says.
 */
export async function recordDecisionFromVsCode(services: Services, folder: FolderContext, fields: DecisionFields): Promise<DecisionRecord> {
  const { redact } = writeSettings(folder);
  const record = await recordDecision(folder.deps, { ...(await folder.options()), ...(redact ? redactDeep(fields, KEEP_AS_WRITTEN).value : fields) });
  services.log.info(`Recorded ${record.id} at ${record.path}.`);
  return record;
}

const KEEP_AS_WRITTEN = new Set(['status']);

/** With `sessionlog.syncAfterLog`, syncs in the background; git runs only where the folder may run it. */
export function syncIfWanted(services: Services, folder: FolderContext): void {
  if (!folder.config().syncAfterLog || !folder.canRunGit) return;
  Promise.resolve(sync.run(services, { cwd: folder.uri, background: true })).catch((error: unknown) => services.errors.report(error, 'Sync Knowledge Base'));
}
