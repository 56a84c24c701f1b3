import * as vscode from 'vscode';
import { describeError, valueOrFailure } from '../../core/errors';
import type { Decision } from '../../core/model/session';
import { cleanLinks, cleanTags } from '../../core/model/validate';
import { parseDecision } from '../../core/model/decode';
import { editMessage } from './messageEditor';
import { runSteps, type Button, type FormInput, type InputStep, type PickItem } from './multiStepInput';

export interface LogAnswers {
  message: string;
  tags: string[];
  links: string[];
  files: string[];
  decisions: Decision[];
  followUps: string[];
  next: string;
}

/** What the form offers and tells; the lists are read only when their step is reached. */
export interface LogFormContext {
  /** Where the session will be written, and why there (the entry and its context source). */
  entry: string;
  contextSource: string;
  /** Pre-selected tags (the sessionlog.defaultTags setting, which every write adds anyway). */
  defaultTags: string[];
  /** Tags the .kbcontext adds to every session anyway. */
  contextTags: string[];
  recentTags: string[];
  /** Entries of the knowledge base to link to, relative to its root. */
  linkTargets: () => Promise<string[]>;
  /** Files changed in git since the last logged session and in the working tree. */
  changedFiles: () => Promise<{ files: string[]; since?: string }>;
}

const TOTAL_STEPS = 7;

const editorButton: Button = { id: 'editor', iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Write the message in an editor (for a long message)' };
const clearButton: Button = { id: 'clear', iconPath: new vscode.ThemeIcon('clear-all'), tooltip: 'Remove the ones added' };

/** Shows multi-line text on one line of an input box. */
const flatten = (text: string) => text.replace(/\r?\n/g, ' ⏎ ');

/**
 * The "Log Session" form: message, tags, links, files modified, decisions, follow-ups,
 * context for the next session. `prefill` (a drafted record) gives the steps their initial
 * values, in place of the default tags and git's changed files. Undefined when cancelled.
 */
export async function logSessionForm(input: FormInput, context: LogFormContext, prefill: Partial<LogAnswers> = {}): Promise<LogAnswers | undefined> {
  const where = `Writes to ${context.entry} (chosen by ${context.contextSource}).`;
  const state: LogAnswers = {
    message: prefill.message ?? '',
    tags: [...(prefill.tags ?? context.defaultTags)],
    links: [...(prefill.links ?? [])],
    files: [...(prefill.files ?? [])],
    decisions: [...(prefill.decisions ?? [])],
    followUps: [...(prefill.followUps ?? [])],
    next: prefill.next ?? '',
  };
  // Git's changed files are checked only while the user (or the draft) has not chosen files yet.
  let filesChosen = prefill.files !== undefined;

  const message: InputStep = async (flow) => {
    const shown = flatten(state.message);
    const answer = await flow.showInputBox({
      id: 'message',
      step: 1,
      value: shown,
      prompt: `What did this session do? ${where}`,
      placeholder: 'e.g. Implemented the OAuth2 flow; refresh tokens next',
      buttons: [editorButton],
      validate: (value) => (value.trim() ? undefined : 'Say what this session did (or write it in an editor with the button above).'),
    });
    if (typeof answer !== 'string') {
      flow.pause();
      const written = await editMessage(state.message);
      if (written === undefined) return message;
      state.message = written;
      return tags;
    }
    if (answer !== shown) state.message = answer;
    return tags;
  };

  const tags: InputStep = async (flow) => {
    const offered = [...new Set([...context.defaultTags, ...state.tags, ...context.recentTags])];
    const items: PickItem[] = offered.map((tag) => ({
      label: `#${tag}`,
      value: tag,
      ...(context.defaultTags.includes(tag) ? { description: 'default' } : context.recentTags.includes(tag) ? { description: 'recent' } : {}),
    }));
    const alwaysTags = [...new Set([...context.defaultTags, ...context.contextTags])];
    const always = alwaysTags.length > 0 ? ` Always added (settings, .kbcontext): ${alwaysTags.map((tag) => `#${tag}`).join(' ')}.` : '';
    const answer = await flow.showQuickPick({
      id: 'tags',
      step: 2,
      canSelectMany: true,
      items,
      selected: state.tags,
      placeholder: `Tags: check them, or type new ones (comma-separated) and press Enter.${always}`,
      typed: (value) =>
        valueOrFailure(() => cleanTags([value.replace(/\s+/g, ',')], 'tag').map((tag) => ({ label: `#${tag}`, value: tag, description: 'new tag' }))),
    });
    if (Array.isArray(answer)) state.tags = answer;
    return links;
  };

  const links: InputStep = async (flow) => {
    const targets = await context.linkTargets();
    const answer = await flow.showQuickPick({
      id: 'links',
      step: 3,
      canSelectMany: true,
      items: [...new Set([...state.links, ...targets])].map((target) => ({ label: target, value: target, iconPath: vscode.ThemeIcon.File })),
      selected: state.links,
      placeholder: 'Related entries of the knowledge base, written as [[links]] (optional; type a path to add another).',
      typed: (value) => valueOrFailure(() => cleanLinks([value], 'link').map((link) => ({ label: link, value: link, description: 'new link' }))),
    });
    if (Array.isArray(answer)) state.links = answer;
    return files;
  };

  const files: InputStep = async (flow) => {
    let note = 'Files modified (optional; type a path to add one).';
    let changed: string[] = [];
    try {
      const found = await context.changedFiles();
      changed = found.files;
      if (!filesChosen) state.files = [...changed];
      note =
        changed.length > 0
          ? `Files modified: ${changed.length} changed in git${found.since ? ` since the last session (${found.since})` : ''} and in the working tree; ${prefill.files ? 'check what belongs' : 'uncheck what does not belong'}.`
          : note;
    } catch (error) {
      note = `Files modified (git said: ${describeError(error)}).`;
    }
    filesChosen = true;
    const answer = await flow.showQuickPick({
      id: 'files',
      step: 4,
      canSelectMany: true,
      items: [...new Set([...changed, ...state.files])].map((file) => ({ label: file, value: file, iconPath: vscode.ThemeIcon.File })),
      selected: state.files,
      placeholder: note,
      typed: (value) =>
        value
          .split(',')
          .map((file) => file.trim())
          .filter(Boolean)
          .map((file) => ({ label: file, value: file, description: 'add' })),
    });
    if (Array.isArray(answer)) state.files = answer;
    return decisions;
  };

  /** A box asked again for each item of a list: an empty Enter goes on, the button clears the items added. */
  const repeated =
    <T>(
      id: 'decisions' | 'followUps',
      step: number,
      ask: { prompt: string; placeholder: string; validate?: (value: string) => string | undefined },
      read: (answer: string) => T,
      label: (item: T) => string,
      then: () => InputStep,
    ): InputStep =>
    async (flow) => {
      const items = state[id] as T[];
      for (;;) {
        const added = items.map(label);
        const answer = await flow.showInputBox({
          id,
          step,
          value: '',
          ...ask,
          prompt: `${ask.prompt}, one per Enter; an empty Enter goes on.${added.length ? ` Added: ${added.join('; ')}.` : ''}`,
          buttons: added.length ? [clearButton] : [],
        });
        if (typeof answer !== 'string') items.splice(0);
        else if (!answer.trim()) return then();
        else items.push(read(answer));
      }
    };

  const decisions = repeated(
    'decisions',
    5,
    {
      prompt: 'Decisions as "decision :: rationale"',
      placeholder: 'e.g. Used jose for JWT :: type-safe, no native dependencies',
      validate: (value) => (value.trim() && !parseDecision(value).decision ? 'Write the decision before "::", the rationale after it.' : undefined),
    },
    parseDecision,
    (item) => item.decision,
    () => followUps,
  );
  const followUps = repeated(
    'followUps',
    6,
    { prompt: 'Follow-ups', placeholder: 'e.g. Add refresh token rotation' },
    (answer) => answer.trim(),
    (item) => item,
    () => next,
  );

  const next: InputStep = async (flow) => {
    const answer = await flow.showInputBox({
      id: 'next',
      step: 7,
      value: state.next,
      prompt: 'Context for the next session (optional). Enter writes the session.',
      placeholder: 'e.g. Auth middleware done; start with src/auth/refresh.ts',
    });
    if (typeof answer === 'string') state.next = answer;
  };

  return (await runSteps(input, { title: `Log Session → ${context.entry}`, totalSteps: TOTAL_STEPS }, message)) ? state : undefined;
}
