import * as vscode from 'vscode';
import { SessionLogError } from '../../core/errors';

/**
 * Multi-step quick input ("step N of M", Back, validation as you type), after the
 * quickinput-sample's MultiStepInput. Each step names the answer it asks for (`id`), so the same
 * form runs from answers given in advance (ScriptedInput): for automation and tests, with the
 * same defaults and the same validation.
 */
class InputFlowAction {
  private constructor(readonly name: string) {}
  static readonly back = new InputFlowAction('back');
  static readonly cancel = new InputFlowAction('cancel');
}

export type InputStep = (flow: FormFlow) => Thenable<InputStep | void>;

export interface Button extends vscode.QuickInputButton {
  /** How a scripted answer presses it: `{ button: id }`. */
  readonly id: string;
}

interface StepCommon {
  /** The answer's name in scripted answers. */
  id: string;
  title: string;
  step: number;
  totalSteps: number;
  buttons?: Button[];
}

interface InputBoxParameters extends StepCommon {
  value: string;
  prompt: string;
  placeholder?: string;
  /** Checked as the user types; a message blocks accepting. */
  validate?: (value: string) => string | undefined;
}

export interface PickItem extends vscode.QuickPickItem {
  /** What the item stands for in the answer. */
  value: string;
}

interface QuickPickParameters extends StepCommon {
  placeholder: string;
  items: PickItem[];
  /** One item is picked unless this says so. */
  canSelectMany?: boolean;
  /** Items selected at first (many), or the active one (single). */
  selected?: string[];
  /** What typed text adds: items for new values, or a message why it cannot. */
  typed?: (value: string) => PickItem[] | string;
}

export interface FormInput {
  showInputBox(parameters: InputBoxParameters): Promise<string | Button>;
  /** The chosen items' values. */
  showQuickPick(parameters: QuickPickParameters): Promise<string[] | Button>;
  /** Hides the form while the user works elsewhere (an editor); the next step shows it again. */
  pause?(): void;
}

/** A step's parameters without what the form gives every step: its title and its number of steps. */
type FormStep<T> = Omit<T, 'title' | 'totalSteps'>;
/** What a form's steps ask through. */
interface FormFlow {
  showInputBox(parameters: FormStep<InputBoxParameters>): Promise<string | Button>;
  showQuickPick(parameters: FormStep<QuickPickParameters>): Promise<string[] | Button>;
  pause(): void;
}

/**
 * Runs a form's steps, each shown with the form's title and "step N of `totalSteps`", until one
 * returns nothing; Back returns to the previous step, Escape cancels (false).
 */
export async function runSteps(input: FormInput & { dispose?(): void }, form: { title: string; totalSteps: number }, start: InputStep): Promise<boolean> {
  const flow: FormFlow = {
    showInputBox: (parameters) => input.showInputBox({ ...form, ...parameters }),
    showQuickPick: (parameters) => input.showQuickPick({ ...form, ...parameters }),
    pause: () => input.pause?.(),
  };
  const steps: InputStep[] = [];
  let step: InputStep | void = start;
  try {
    while (step) {
      steps.push(step);
      try {
        step = await step(flow);
      } catch (error) {
        if (error === InputFlowAction.back) {
          steps.pop();
          step = steps.pop();
        } else if (error === InputFlowAction.cancel) {
          return false;
        } else {
          throw error;
        }
      }
    }
    return true;
  } finally {
    input.dispose?.();
  }
}

/** The quick input UI. */
export class MultiStepInput implements FormInput {
  private current: vscode.QuickInput | undefined;

  showInputBox(parameters: InputBoxParameters): Promise<string | Button> {
    const input = vscode.window.createInputBox();
    input.value = parameters.value;
    input.prompt = parameters.prompt;
    input.placeholder = parameters.placeholder;
    const validate = parameters.validate ?? (() => undefined);
    input.validationMessage = parameters.value ? validate(parameters.value) : undefined;
    return this.show<string>(input, parameters, (resolve) => [
      input.onDidChangeValue((value) => {
        input.validationMessage = validate(value);
      }),
      input.onDidAccept(() => {
        const message = validate(input.value);
        input.validationMessage = message;
        if (!message) resolve(input.value);
      }),
    ]);
  }

  showQuickPick(parameters: QuickPickParameters): Promise<string[] | Button> {
    const pick = vscode.window.createQuickPick<PickItem>();
    pick.placeholder = parameters.placeholder;
    pick.canSelectMany = !!parameters.canSelectMany;
    pick.matchOnDescription = true;
    const base = parameters.items;
    pick.items = base;
    const initially = base.filter((item) => parameters.selected?.includes(item.value));
    if (parameters.canSelectMany) pick.selectedItems = initially;
    else if (initially[0]) pick.activeItems = [initially[0]];
    let selection = [...initially];
    let typed: PickItem[] | string = [];
    return this.show<string[]>(pick, parameters, (resolve) => [
      pick.onDidChangeSelection((items) => {
        if (parameters.canSelectMany) selection = [...items];
        else if (items[0]) resolve([items[0].value]);
      }),
      pick.onDidChangeValue((value) => {
        typed = value.trim() && parameters.typed ? parameters.typed(value) : [];
        const extra =
          typeof typed === 'string'
            ? [{ label: `$(error) ${typed}`, value: '', alwaysShow: true }]
            : typed.filter((item) => !base.some((existing) => existing.value === item.value)).map((item) => ({ ...item, alwaysShow: true }));
        pick.items = [...base, ...extra];
        if (parameters.canSelectMany) pick.selectedItems = selection.filter((item) => pick.items.includes(item));
      }),
      pick.onDidAccept(() => {
        if (typeof typed === 'string') return;
        if (!parameters.canSelectMany) {
          const chosen = pick.activeItems[0] ?? typed[0];
          if (chosen?.value) resolve([chosen.value]);
          return;
        }
        // Text typed and not checked is meant too: "type a new tag, press Enter".
        const values = [...selection.map((item) => item.value), ...typed.map((item) => item.value)];
        resolve([...new Set(values.filter(Boolean))]);
      }),
    ]);
  }

  /** Shows a step (its title, "step N of M", Back and its buttons) until `listen`'s listeners or a button settle it; hiding it cancels. */
  private show<T>(
    input: vscode.InputBox | vscode.QuickPick<PickItem>,
    parameters: StepCommon,
    listen: (resolve: (value: T | Button) => void) => vscode.Disposable[],
  ): Promise<T | Button> {
    input.title = parameters.title;
    input.step = parameters.step;
    input.totalSteps = parameters.totalSteps;
    input.ignoreFocusOut = true;
    input.buttons = [...(parameters.step > 1 ? [vscode.QuickInputButtons.Back] : []), ...(parameters.buttons ?? [])];
    const disposables: vscode.Disposable[] = [];
    return new Promise<T | Button>((resolve, reject) => {
      disposables.push(
        input.onDidTriggerButton((button) => (button === vscode.QuickInputButtons.Back ? reject(InputFlowAction.back) : resolve(button as Button))),
        input.onDidHide(() => reject(InputFlowAction.cancel)),
        ...listen(resolve),
      );
      this.replace(input);
    }).finally(() => disposables.forEach((disposable) => disposable.dispose()));
  }

  pause(): void {
    this.current?.dispose();
    this.current = undefined;
  }

  private replace(input: vscode.QuickInput): void {
    const previous = this.current;
    this.current = input;
    input.show();
    previous?.dispose();
  }

  dispose(): void {
    this.current?.dispose();
  }
}

/** A scripted answer: text for an input box (a list answers a repeated box in turn), values for a pick, or a button. */
export type Answer = string | string[] | { button: string };
export type Answers = Record<string, Answer | undefined>;

/**
 * Answers the form's steps from `answers` instead of the UI. A step without an answer takes its
 * default (the pre-filled value or selection); every answer is validated as typing it would be.
 */
export class ScriptedInput implements FormInput {
  private readonly asked = new Map<string, number>();

  constructor(private readonly answers: Answers) {}

  async showInputBox(parameters: InputBoxParameters): Promise<string | Button> {
    const raw = this.answers[parameters.id];
    const times = this.asked.get(parameters.id) ?? 0;
    this.asked.set(parameters.id, times + 1);
    // A list answers a repeated box in turn; a single answer is given once; then the box gets an empty reply.
    let answer: Answer | undefined = Array.isArray(raw) ? (raw[times] ?? '') : times === 0 ? raw : '';
    if (answer === undefined) answer = parameters.value;
    if (typeof answer === 'object' && !Array.isArray(answer)) return this.button(parameters, answer.button);
    const text = String(answer);
    const message = parameters.validate?.(text);
    if (message) throw refused(parameters, message, 'Correct the answer.');
    return text;
  }

  async showQuickPick(parameters: QuickPickParameters): Promise<string[] | Button> {
    const answer = this.answers[parameters.id];
    if (answer === undefined) return parameters.selected ?? [];
    if (typeof answer === 'object' && !Array.isArray(answer)) return this.button(parameters, answer.button);
    const values: string[] = [];
    for (const wanted of Array.isArray(answer) ? answer : [answer]) {
      const item = parameters.items.find((candidate) => candidate.value === wanted || candidate.label === wanted);
      if (item) {
        values.push(item.value);
        continue;
      }
      const typed = parameters.typed?.(wanted);
      if (typed === undefined) throw refused(parameters, `'${wanted}' is not one of the choices.`, 'Pick one of the offered values.');
      if (typeof typed === 'string') throw refused(parameters, typed, 'Correct the answer.');
      values.push(...typed.map((item) => item.value));
    }
    return [...new Set(values)];
  }

  private button(parameters: StepCommon, id: string): Button {
    const button = parameters.buttons?.find((candidate) => candidate.id === id);
    if (!button) throw refused(parameters, `there is no button '${id}'.`, "Name one of the step's buttons.");
    return button;
  }
}

/** A scripted answer the step does not take, named by the form's title and the step's answer. */
function refused(parameters: StepCommon, message: string, hint: string): SessionLogError {
  return new SessionLogError('invalid_input', `${parameters.title}, ${parameters.id}: ${message}`, { field: parameters.id }, hint);
}
