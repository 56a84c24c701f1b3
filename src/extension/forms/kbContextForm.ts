import { failureOf } from '../../core/errors';
import { joinInKb } from '../../core/context/paths';
import { cleanTags } from '../../core/model/validate';
import { runSteps, type FormInput, type InputStep } from './multiStepInput';

interface KbContextAnswers {
  project: string;
  /** Set when the entry is derived from a folder: `{primary}/sessions.md`. */
  primary?: string;
  /** Set when the entry is named exactly. */
  sessionEntry?: string;
  defaultTags: string[];
}

/** The guided "Create .kbcontext" form. `kbRoot` is shown so the user knows what the paths are relative to. */
export async function kbContextForm(
  input: FormInput,
  defaults: { project: string; primary: string },
  folderName: string,
  kbRoot: string,
): Promise<KbContextAnswers | undefined> {
  const state: KbContextAnswers = { project: defaults.project, defaultTags: [] };
  let mode = 'primary';

  const project: InputStep = async (flow) => {
    const answer = await flow.showInputBox({
      id: 'project',
      step: 1,
      value: state.project,
      prompt: "The project's name (titles its session entry).",
      validate: (value) => (value.trim() ? undefined : 'Give the project a name.'),
    });
    if (typeof answer === 'string') state.project = answer.trim();
    return where;
  };
  const where: InputStep = async (flow) => {
    const answer = await flow.showQuickPick({
      id: 'where',
      step: 2,
      selected: [mode],
      placeholder: `Where in the knowledge base (${kbRoot}) should sessions go?`,
      items: [
        {
          label: 'A project folder',
          description: `${defaults.primary}/sessions.md`,
          detail: 'primary: sessions go to {folder}/sessions.md, decisions and agent sessions beside it',
          value: 'primary',
        },
        { label: 'An exact entry path', description: 'session_entry', detail: 'session_entry: name the Markdown file yourself', value: 'entry' },
      ],
    });
    if (Array.isArray(answer) && answer[0]) mode = answer[0];
    return path;
  };
  const path: InputStep = async (flow) => {
    const primary = mode === 'primary';
    const answer = await flow.showInputBox({
      id: primary ? 'primary' : 'sessionEntry',
      step: 3,
      value: primary ? (state.primary ?? defaults.primary) : (state.sessionEntry ?? `${defaults.primary}/sessions.md`),
      prompt: primary ? `The project's folder, relative to ${kbRoot}.` : `The session entry, relative to ${kbRoot}.`,
      validate: (value) => failureOf(() => joinInKb(kbRoot, value, primary ? 'primary' : 'session_entry')),
    });
    if (typeof answer === 'string') {
      // One or the other: the entry is derived from the folder or named exactly.
      delete state.primary;
      delete state.sessionEntry;
      state[primary ? 'primary' : 'sessionEntry'] = answer.trim();
    }
    return tags;
  };
  const tags: InputStep = async (flow) => {
    const answer = await flow.showInputBox({
      id: 'defaultTags',
      step: 4,
      value: state.defaultTags.join(', '),
      prompt: 'Tags added to every session of this project, comma-separated (optional). Enter writes the .kbcontext.',
      validate: (value) => failureOf(() => cleanTags([value], 'default_tags')),
    });
    if (typeof answer === 'string') state.defaultTags = cleanTags([answer], 'default_tags');
  };
  return (await runSteps(input, { title: `Create .kbcontext in ${folderName}`, totalSteps: 4 }, project)) ? state : undefined;
}
