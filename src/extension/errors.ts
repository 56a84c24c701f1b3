import * as vscode from 'vscode';
import { describeError, isSessionLogError, type ErrorCode } from '../core/errors';
import { refresh as refreshCommand } from './commands/refresh';
import { openAt } from './editor';
import { NO_FOLDER_CHOSEN } from './folders';
import { chooseKbRoot as chooseKbRootCommand } from './commands/chooseKbRoot';
import { createKbContext as createKbContextCommand } from './commands/createKbContext';

/** What gets the user out of a missing knowledge base (the extension's own commands): error messages and the chat offer them. */
export const SETUP_COMMANDS: vscode.Command[] = [
  { command: createKbContextCommand.id, title: 'Create .kbcontext' },
  { command: chooseKbRootCommand.id, title: 'Choose Knowledge Base Folder' },
];

interface Action {
  title: string;
  run: () => Thenable<unknown>;
}

/** What the last reported error was, for whoever needs to know (tests, the status of a command). */
interface ReportedError {
  code: ErrorCode | 'unexpected';
  message: string;
  /** The titles of the buttons the message offers, in order. */
  actions: string[];
}

/**
 * The one place where failures become what the user sees: one message, with the action that
 * gets them out where there is one, and the whole story (code, details, stack) in the log.
 */
export class ErrorReporter {
  private lastError: ReportedError | undefined;

  /** `uriOf` maps a core path (which may belong to a remote or virtual folder) to its URI. */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly uriOf: (file: string) => vscode.Uri = vscode.Uri.file,
  ) {}

  get last(): ReportedError | undefined {
    return this.lastError;
  }

  /** Shows the error without waiting for the user; `doing` says what failed ("Log session"). */
  report(error: unknown, doing?: string): void {
    if (error === NO_FOLDER_CHOSEN) return;
    const prefix = doing ? `${doing}: ` : '';
    if (isSessionLogError(error)) {
      const actions = this.actionsFor(error.code, error.details);
      this.lastError = { code: error.code, message: error.message, actions: actions.map((action) => action.title) };
      this.log.error(`${prefix}[${error.code}] ${error.withHint}` + (Object.keys(error.details).length > 0 ? ` ${JSON.stringify(error.details)}` : ''));
      void this.show(error.withHint, actions);
      return;
    }
    const actions = [this.showLog()];
    this.lastError = { code: 'unexpected', message: describeError(error), actions: actions.map((action) => action.title) };
    this.log.error(`${prefix}${error instanceof Error && error.stack ? error.stack : describeError(error)}`);
    void this.show(`Session Log: ${prefix}${describeError(error)}`, actions);
  }

  private async show(text: string, actions: Action[]): Promise<void> {
    const chosen = await vscode.window.showErrorMessage(text, ...actions.map((action) => action.title));
    await actions.find((action) => action.title === chosen)?.run();
  }

  private actionsFor(code: ErrorCode, details: Record<string, unknown>): Action[] {
    switch (code) {
      case 'no_context':
      case 'no_kb_root':
        if (details.noFolder) return [{ title: 'Open Folder', run: () => vscode.commands.executeCommand('workbench.action.files.openFolder') }];
        return SETUP_COMMANDS.map(({ title, command }) => ({ title, run: () => vscode.commands.executeCommand(command) }));
      case 'invalid_kbcontext':
        return typeof details.file === 'string'
          ? [{ title: 'Open .kbcontext', run: () => openAt(this.uriOf(details.file as string), typeof details.line === 'number' ? details.line : 0) }]
          : [this.showLog()];
      case 'path_outside_kb':
        return details.restricted
          ? [{ title: 'Manage Workspace Trust', run: () => vscode.commands.executeCommand('workbench.trust.manage') }]
          : [this.showLog()];
      case 'entry_not_found':
        return [{ title: 'Refresh', run: () => vscode.commands.executeCommand(refreshCommand.id) }];
      default:
        return [this.showLog()];
    }
  }

  private showLog(): Action {
    return { title: 'Show Log', run: async () => this.log.show(true) };
  }
}
