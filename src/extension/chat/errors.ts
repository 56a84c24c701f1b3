import * as vscode from 'vscode';
import { describeError, isSessionLogError } from '../../core/errors';
import { log as logCommand } from '../commands/log';
import { SETUP_COMMANDS } from '../errors';

/**
 * The one place where the participant's failures become a reply: one short paragraph, the
 * buttons that help where there are any, and the whole story in the log.
 */
export function replyWithError(stream: vscode.ChatResponseStream, error: unknown, log: vscode.LogOutputChannel, doing: string): vscode.ChatResult {
  if (isSessionLogError(error)) {
    log.error(`Chat ${doing}: [${error.code}] ${error.withHint}`);
    stream.markdown(error.withHint);
    if (error.code === 'no_context' || error.code === 'no_kb_root') {
      if (!error.details.noFolder) for (const button of SETUP_COMMANDS) stream.button(button);
    }
    return { metadata: { command: doing, kind: 'error', code: error.code } };
  }
  if (error instanceof vscode.LanguageModelError) {
    log.error(`Chat ${doing}: language model error ${error.code}: ${error.message}`);
    stream.markdown(modelErrorText(error));
    stream.button({ command: logCommand.id, title: 'Open the Log Session Form' });
    return { metadata: { command: doing, kind: 'error', code: `lm_${error.code}` } };
  }
  log.error(`Chat ${doing}: ${error instanceof Error && error.stack ? error.stack : describeError(error)}`);
  stream.markdown(`Session Log could not ${doing}: ${describeError(error)}. The Session Log output has the details.`);
  return { metadata: { command: doing, kind: 'error', code: 'unexpected' } };
}

function modelErrorText(error: vscode.LanguageModelError): string {
  switch (error.code) {
    case vscode.LanguageModelError.NoPermissions.name:
      return (
        'Session Log may not use this language model (permission was not given). Allow it when VS Code asks, ' +
        'or log without a model: `/log <what you did>` or the Log Session form.'
      );
    case vscode.LanguageModelError.Blocked.name:
      return (
        'The language model refused the request (blocked, perhaps by a quota). Try again later, ' +
        'or log without a model: `/log <what you did>` or the Log Session form.'
      );
    case vscode.LanguageModelError.NotFound.name:
      return (
        'The chosen language model is not available. Pick another model in the chat, ' +
        'or log without a model: `/log <what you did>` or the Log Session form.'
      );
    default:
      return `The language model failed: ${error.message}. Nothing was written. Try again, or log without a model: \`/log <what you did>\` or the Log Session form.`;
  }
}

/** The reply when no language model can be had at all. */
export function replyNoModel(stream: vscode.ChatResponseStream, doing: string): vscode.ChatResult {
  stream.markdown(
    'No language model is available to summarise this conversation, so nothing was written. ' +
      'Choose or enable a model in the chat, or log without one: `/log <what you did>` (with `#tags` and `[[links]]`), or the Log Session form.',
  );
  stream.button({ command: logCommand.id, title: 'Open the Log Session Form' });
  return { metadata: { command: doing, kind: 'error', code: 'no_model' } };
}
