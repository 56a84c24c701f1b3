import * as path from 'node:path';
import * as vscode from 'vscode';
import { SessionLogError } from '../../core/errors';
import { decodeSessionRecord, decodeStrings } from '../../core/model/decode';
import { ADR_STATUSES, type AdrStatus, type DecisionRecord } from '../../core/usecases/decisions';
import type { LogSessionResult } from '../../core/usecases/logSession';
import { logFromVsCode, recordDecisionFromVsCode } from '../writePath';
import { openAt } from '../editor';
import type { Services } from '../services';
import type { DecisionDraft } from '../../core/model/decision';
import type { SessionDraft } from './draft';
import { decisionReport, loggedReport } from './render';

/** Drafts already written, by id: a second click on the same Write button writes nothing. */
const written = new Map<string, string>();

/** What the Write button did: the core's result and the log-session skill's report of it. */
export interface WriteSessionResult {
  result?: LogSessionResult;
  report: string;
  alreadyWritten?: boolean;
}

/** The Write button of `/log`'s preview: writes exactly the record shown, then says where it went. */
export async function writeSession(services: Services, args: unknown): Promise<WriteSessionResult> {
  const button = clicked(services, args, 'session record');
  if (button.already) {
    void vscode.window.showInformationMessage(`This session record was already written to ${button.already}.`);
    return { report: `Already written to ${button.already}.`, alreadyWritten: true };
  }
  const result = await logFromVsCode(services, button.folder(), sessionRecord(object(button.given.record, 'record')));
  written.set(button.draftId, result.path);
  return { result, report: loggedReport(result) };
}

/** The Record Decision button of `/decision`'s preview: writes the next ADR-NNN with what was shown. */
export async function writeDecision(services: Services, args: unknown): Promise<DecisionRecord | undefined> {
  const button = clicked(services, args, 'decision');
  if (button.already) {
    void vscode.window.showInformationMessage(`This decision was already recorded as ${button.already}.`);
    return undefined;
  }
  const folder = button.folder();
  const options = await folder.options();
  const record = await recordDecisionFromVsCode(services, folder, decisionDraft(object(button.given.decision, 'decision')));
  written.set(button.draftId, record.id);
  services.log.info(`Chat: ${decisionReport(record)}`);
  void vscode.window.showInformationMessage(`Decision recorded: ${record.id} ${record.title} (${record.path})`, 'Open Decision').then((choice) => {
    if (choice) return openAt(folder.uriOf(path.posix.join(options.kbRoot, record.path)), 0);
    return undefined;
  });
  return record;
}

/** What a button carries: its draft's id, where that draft went if it was written already, and its folder. */
function clicked(services: Services, args: unknown, what: string) {
  const given = object(args, what);
  const draftId = string(given.draftId, 'draftId');
  return { given, draftId, already: written.get(draftId), folder: () => services.folders.forUri(vscode.Uri.parse(string(given.folder, 'folder'))) };
}

// A command may be run by anyone with any arguments: what the buttons carry is checked again here.

function object(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new SessionLogError('invalid_input', `No ${what} was given to write.`, {}, 'Use the buttons under a @sessionlog preview.');
  }
  return value as Record<string, unknown>;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.trim()) {
    throw new SessionLogError('invalid_input', `${field} is missing.`, { field }, 'Use the buttons under a @sessionlog preview.');
  }
  return value;
}

function sessionRecord(value: Record<string, unknown>): SessionDraft {
  const { next, ...record } = decodeSessionRecord(value);
  return {
    tags: [],
    links: [],
    files: [],
    decisions: [],
    followUps: [],
    ...record,
    message: string(value.message, 'message'),
    ...(next?.trim() ? { next } : {}),
  };
}

function decisionDraft(value: Record<string, unknown>): DecisionDraft {
  const status = typeof value.status === 'string' && ADR_STATUSES.includes(value.status as AdrStatus) ? (value.status as AdrStatus) : 'accepted';
  return {
    title: string(value.title, 'title'),
    decision: string(value.decision, 'decision'),
    ...(typeof value.context === 'string' && value.context.trim() ? { context: value.context } : {}),
    ...(typeof value.rationale === 'string' && value.rationale.trim() ? { rationale: value.rationale } : {}),
    alternatives: decodeStrings(value.alternatives),
    consequences: decodeStrings(value.consequences),
    status,
  };
}
