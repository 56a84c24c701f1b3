import * as path from 'node:path';
import * as vscode from 'vscode';
import { listMarkdownFiles } from '../../core/usecases/readEntries';
import { changedProjectFiles } from '../../core/usecases/gitFiles';
import { decodeSessionRecord } from '../../core/model/decode';
import type { LogSessionResult } from '../../core/usecases/logSession';
import { logSessionForm, type LogAnswers, type LogFormContext } from './logSessionForm';
import { MultiStepInput, ScriptedInput, type Answers } from './multiStepInput';
import type { FolderContext } from '../folders';
import type { Services } from '../services';
import { logFromVsCode } from '../writePath';

/**
 * What Session: Log may be given: the folder (`cwd`, a path or URI); a drafted record to start
 * from (`prefill`, as the chat's "Edit in Log Session Form" gives it), each step showing its value;
 * and, to run without the UI (automation, tests), the form's answers by step: message, tags, links,
 * files, decisions, followUps (lists answer their repeated boxes in turn), next. A step left out
 * takes its default (the prefilled value, if any).
 */
export interface LogArgs {
  cwd?: string | vscode.Uri;
  prefill?: Partial<LogAnswers>;
  answers?: Answers;
}

const LINK_TARGETS_LIMIT = 5000;

/** The multi-step "Log Session" form, then the write path: Session: Log, and Open Entry's offer when there is no entry yet. */
export async function logWithForm(services: Services, args?: LogArgs): Promise<LogSessionResult | undefined> {
  const folder = await services.folders.choose(args?.cwd, 'Log Session');
  const entry = await folder.entry();
  const options = await folder.options();
  const config = folder.config();
  const context: LogFormContext = {
    entry: entry.relativePath,
    contextSource: entry.contextSource,
    defaultTags: config.defaultTags,
    contextTags: entry.context?.default_tags ?? [],
    recentTags: services.recentTags.get(),
    linkTargets: async () => {
      const files = await listMarkdownFiles(folder.deps, options.kbRoot);
      return files
        .filter((file) => file !== entry.entryPath)
        .map((file) => path.posix.relative(options.kbRoot, file))
        .slice(0, LINK_TARGETS_LIMIT);
    },
    changedFiles: () => (config.filesFromGit ? changedSinceLastSession(services, folder, entry.entryPath) : Promise.resolve({ files: [] })),
  };
  const input = args?.answers ? new ScriptedInput(args.answers) : new MultiStepInput();
  const answers = await logSessionForm(input, context, prefillOf(args?.prefill));
  if (!answers) return undefined;
  const { next, ...record } = answers;
  return logFromVsCode(services, folder, { ...record, ...(next.trim() ? { next } : {}) });
}

/** The well-formed parts of a prefill, which may come from a chat button's JSON: the rest keeps the form's defaults. */
function prefillOf(given: unknown): Partial<LogAnswers> {
  const { followUps, ...record } = decodeSessionRecord(given);
  return { ...record, ...(followUps ? { followUps: followUps.map((followUp) => followUp.text) } : {}) };
}

/** Files changed in git since the newest timestamped session of the entry, and in the working tree (the core's Git port). */
async function changedSinceLastSession(services: Services, folder: FolderContext, entry: string): Promise<{ files: string[]; since?: string }> {
  const since = (await services.model.state(folder)).history?.sessions.find((session) => session.timestamp)?.timestamp;
  const { kbRoot } = await folder.options();
  const { files } = await changedProjectFiles(folder.deps, folder.cwd, kbRoot, entry, since ? new Date(since) : undefined);
  return { files, ...(since ? { since } : {}) };
}
