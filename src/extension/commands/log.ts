import * as path from 'node:path';
import * as vscode from 'vscode';
import { listMarkdownFiles } from '../../core/usecases/readEntries';
import { logSession, type LogSessionResult } from '../../core/usecases/logSession';
import { logSessionForm, type LogFormContext } from '../forms/logSessionForm';
import { MultiStepInput, ScriptedInput, type Answers } from '../forms/multiStepInput';
import type { FolderContext } from '../folders';
import type { Services } from '../services';
import { announceLogged } from './quickLog';

/**
 * What `sessionlog.log` may be given: the folder (`cwd`, a path or URI) and, to run without the
 * UI (automation, tests), the form's answers by step: message, tags, links, files, decisions,
 * followUps (lists answer their repeated boxes in turn), next. A step left out takes its default.
 */
export interface LogArgs {
  cwd?: string | vscode.Uri;
  answers?: Answers;
}

const LINK_TARGETS_LIMIT = 5000;

/** Session: Log — the multi-step "Log Session" form, then the core's logSession. */
export async function log(services: Services, args?: LogArgs): Promise<LogSessionResult | undefined> {
  const folder = await services.folders.choose(args?.cwd, 'Log Session');
  if (!folder) return undefined;
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
      return files.filter((file) => file !== entry.entryPath).map((file) => path.posix.relative(options.kbRoot, file)).slice(0, LINK_TARGETS_LIMIT);
    },
    changedFiles: () => (config.filesFromGit ? changedSinceLastSession(services, folder) : Promise.resolve({ files: [] })),
  };
  const input = args?.answers ? new ScriptedInput(args.answers) : new MultiStepInput();
  const answers = await logSessionForm(input, context);
  if (!answers) return undefined;
  const result = await logSession(folder.deps, {
    ...options,
    message: answers.message,
    tags: answers.tags,
    links: answers.links,
    files: answers.files,
    decisions: answers.decisions,
    followUps: answers.followUps,
    ...(answers.next.trim() ? { next: answers.next } : {}),
    redact: config.redactSecrets,
    backup: config.backup,
  });
  await services.recentTags.remember(answers.tags);
  announceLogged(services, folder, result);
  return result;
}

/** Files changed in git since the newest timestamped session of the entry, and in the working tree (the core's Git port). */
async function changedSinceLastSession(services: Services, folder: FolderContext): Promise<{ files: string[]; since?: string }> {
  const state = await services.model.state(folder);
  const since = state.history?.sessions.find((session) => session.timestamp)?.timestamp;
  const files = await folder.deps.git.changedFiles(folder.cwd, since ? new Date(since) : undefined);
  return { files, ...(since ? { since } : {}) };
}
