import { ADR_STATUSES, type AdrStatus } from '../../core/usecases/decisions';
import { runSteps, type FormInput, type InputStep } from './multiStepInput';

interface DecisionAnswers {
  title: string;
  context: string;
  decision: string;
  rationale: string;
  alternatives: string[];
  consequences: string[];
  status: AdrStatus;
}

/** The text parts of the record, one input box each, in the form's order; the lists are typed on one line, separated by ";". */
const BOXES: { id: keyof Omit<DecisionAnswers, 'status'>; prompt: string; placeholder: string; required?: boolean }[] = [
  { id: 'title', prompt: 'A short title for the decision record.', placeholder: 'e.g. Use JWT for authentication', required: true },
  {
    id: 'context',
    prompt: 'The context: what made a decision necessary (optional).',
    placeholder: 'e.g. The API must scale horizontally without shared sessions',
  },
  { id: 'decision', prompt: 'What was decided.', placeholder: 'e.g. Use JWT with short-lived access tokens and refresh tokens', required: true },
  { id: 'rationale', prompt: 'Why this decision (optional).', placeholder: 'e.g. Stateless, scales horizontally, industry standard' },
  { id: 'alternatives', prompt: 'Alternatives considered, separated by ";" (optional).', placeholder: 'e.g. Session cookies; API keys' },
  {
    id: 'consequences',
    prompt: 'Consequences, separated by ";" (optional).',
    placeholder: 'e.g. Tokens cannot be revoked without a blacklist; clients store tokens',
  },
];

const list = (value: string) =>
  value
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean);

/** The "Record Decision" form: an architecture decision record (ADR-NNN) in its parts. Undefined when cancelled. */
export async function decisionForm(input: FormInput, where: string): Promise<DecisionAnswers | undefined> {
  const state: DecisionAnswers = { title: '', context: '', decision: '', rationale: '', alternatives: [], consequences: [], status: 'accepted' };
  const status: InputStep = async (flow) => {
    const answer = await flow.showQuickPick({
      id: 'status',
      step: BOXES.length + 1,
      selected: [state.status],
      items: ADR_STATUSES.map((value) => ({ label: value, value })),
      placeholder: 'Status of the decision',
    });
    if (Array.isArray(answer) && answer[0]) state.status = answer[0] as AdrStatus;
  };
  // Each box leads to the next; the last one to the status.
  const start = BOXES.reduceRight<InputStep>(
    (next, { id, prompt, placeholder, required }, index) =>
      async (flow) => {
        const shown = state[id];
        const answer = await flow.showInputBox({
          id,
          step: index + 1,
          value: Array.isArray(shown) ? shown.join('; ') : shown,
          prompt,
          placeholder,
          validate: (value) => (required && !value.trim() ? `The ${id} is required.` : undefined),
        });
        if (typeof answer !== 'string') return next;
        if (id === 'alternatives' || id === 'consequences') state[id] = list(answer);
        else state[id] = answer.trim();
        return next;
      },
    status,
  );
  return (await runSteps(input, { title: `Record Decision → ${where}`, totalSteps: BOXES.length + 1 }, start)) ? state : undefined;
}
