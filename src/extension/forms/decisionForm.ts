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

const TOTAL = 7;
const list = (value: string) =>
  value
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean);

/** The "Record Decision" form: an architecture decision record (ADR-NNN) in its parts. Undefined when cancelled. */
export async function decisionForm(input: FormInput, where: string): Promise<DecisionAnswers | undefined> {
  const title = `Record Decision → ${where}`;
  const state: DecisionAnswers = { title: '', context: '', decision: '', rationale: '', alternatives: [], consequences: [], status: 'accepted' };
  // One input box per part; the lists are typed on one line, separated by ";".
  const box =
    (id: keyof Omit<DecisionAnswers, 'status'>, step: number, prompt: string, placeholder: string, required: boolean, next: InputStep): InputStep =>
    async (flow) => {
      const shown = state[id];
      const answer = await flow.showInputBox({
        id,
        title,
        step,
        totalSteps: TOTAL,
        value: Array.isArray(shown) ? shown.join('; ') : shown,
        prompt,
        placeholder,
        validate: (value) => (required && !value.trim() ? `The ${id} is required.` : undefined),
      });
      if (typeof answer !== 'string') return next;
      if (id === 'alternatives' || id === 'consequences') state[id] = list(answer);
      else state[id] = answer.trim();
      return next;
    };
  const status: InputStep = async (flow) => {
    const answer = await flow.showQuickPick({
      id: 'status',
      title,
      step: 7,
      totalSteps: TOTAL,
      canSelectMany: false,
      selected: [state.status],
      items: ADR_STATUSES.map((value) => ({ label: value, value })),
      placeholder: 'Status of the decision',
    });
    if (Array.isArray(answer) && answer[0]) state.status = answer[0] as AdrStatus;
  };
  const consequences = box(
    'consequences',
    6,
    'Consequences, separated by ";" (optional).',
    'e.g. Tokens cannot be revoked without a blacklist; clients store tokens',
    false,
    status,
  );
  const alternatives = box('alternatives', 5, 'Alternatives considered, separated by ";" (optional).', 'e.g. Session cookies; API keys', false, consequences);
  const rationale = box('rationale', 4, 'Why this decision (optional).', 'e.g. Stateless, scales horizontally, industry standard', false, alternatives);
  const decision = box('decision', 3, 'What was decided.', 'e.g. Use JWT with short-lived access tokens and refresh tokens', true, rationale);
  const context = box(
    'context',
    2,
    'The context: what made a decision necessary (optional).',
    'e.g. The API must scale horizontally without shared sessions',
    false,
    decision,
  );
  const start = box('title', 1, 'A short title for the decision record.', 'e.g. Use JWT for authentication', true, context);
  return (await runSteps(input, start)) ? state : undefined;
}
