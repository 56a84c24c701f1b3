import * as path from 'node:path';
import * as vscode from 'vscode';
import { resumeContext } from '../../core/usecases/resume';
import { sessionHistory } from '../../core/usecases/history';
import { inlineName, splitInlineFilters } from '../../core/search/query';
import { markedSnippet } from '../../core/search/snippet';
import { searchSessions } from '../../core/usecases/search';
import { renderMarkdown } from '../../core/report/render';
import { folderReport } from '../report';
import type { Session } from '../../core/model/session';
import { parseDecisionDraft, parseSessionDraft } from '../../core/model/decode';
import { splitTags } from '../../core/model/validate';
import { logFromVsCode } from '../writePath';
import { NO_FOLDER_CHOSEN, type FolderContext } from '../folders';
import type { LogAnswers } from '../forms/logSessionForm';
import type { Services } from '../services';
import { DECISION_PROMPT, SESSION_PROMPT, redactDraft, transcriptText, type SessionDraft, type TranscriptMessage } from './draft';
import { replyNoModel, replyWithError } from './errors';
import { decisionPreview, inline, loggedReport, sessionPreview } from './render';
import type { AgentSessionsCache } from '../tools/sessions';
import { log as logCommand } from '../commands/log';
import { writeDecision } from '../commands/chat/writeDecision';
import { writeSession } from '../commands/chat/writeSession';
import { clip, plural } from '../../core/format/escape';

/** How `/log` and `/decision` have the chat's model draft their record, and what they say when it cannot. */
interface DraftRequest<T> {
  command: 'log' | 'decision';
  prompt: string;
  parse: (reply: string) => T | undefined;
  progress: string;
  justification: string;
  /** Said when the conversation is empty, and `unreadable` when the reply holds no record; `button` offered after either. */
  empty: string;
  unreadable: string;
  button?: vscode.Command;
}

/** What a reply was, for the follow-ups offered after it. */
type ReplyKind = 'preview' | 'logged' | 'decision-preview' | 'resume' | 'history' | 'search' | 'report' | 'help' | 'error';

const SUMMARISE: vscode.ChatFollowup = { prompt: '', command: 'log', label: 'Summarise this conversation into the session log' };
const RESUME: vscode.ChatFollowup = { prompt: '', command: 'resume', label: 'Show the resume context' };
const HISTORY: vscode.ChatFollowup = { prompt: '', command: 'history', label: 'Show the session history' };

/** The follow-ups offered after each kind of reply (a report's depend on whether it was summarised). */
const FOLLOWUPS: Partial<Record<ReplyKind, vscode.ChatFollowup[]>> = {
  preview: [{ prompt: '', command: 'decision', label: 'Record a decision (ADR) from this conversation' }, RESUME],
  logged: [{ prompt: '', command: 'resume', label: 'What should the next session pick up?' }, HISTORY],
  'decision-preview': [SUMMARISE],
  resume: [HISTORY, SUMMARISE],
  history: [RESUME],
  search: [RESUME],
  help: [SUMMARISE, RESUME],
};

/** What the chat's model is asked when a report should be summarised: the raw report is its only source. */
const REPORT_PROMPT =
  'Summarise this work report for a stand-up or a weekly note, in a few short paragraphs or bullets: ' +
  'what was done, what was decided, what is still open, and how the agents did (completed, failed, superseded turns). ' +
  'Use only what the report says; do not invent anything. Reply in Markdown.';

const HELP =
  `**@sessionlog** keeps this project's session log (Markdown in your knowledge base).

- \`/log\` — summarise this conversation into a session record (summary, files, decisions, follow-ups, next-session hint) and preview it before anything is written
- \`/log <what you did>\` — log a note now; \`#tags\` and \`[[links]]\` in it become tags and links
- \`/resume\` — the last sessions, open follow-ups, the next-session hint and recent decisions
- \`/history\` — this project's sessions and agent sessions, newest first
- \`/search <words> #tag kind:turn since:7d\` — ranked search across the knowledge base
- \`/decision\` — draft an ADR from this conversation, preview it, then record it as ADR-NNN
- \`/report\` — this week's report (\`/report last week\`, \`/report month\`, \`/report all\` for every project); \`/report summary\` has the chat's model summarise it

VS Code gives a participant only its own part of a chat: tell @sessionlog what you did over a few messages, then \`/log\`. ` +
  'Copilot in agent mode can log its own work with the Session Log tools (e.g. `#sessionlogLog`).';

export class SessionLogParticipant {
  constructor(
    private readonly services: Services,
    private readonly sessions: AgentSessionsCache,
  ) {}

  readonly handle: vscode.ChatRequestHandler = async (request, context, stream, token) => {
    const command = request.command ?? 'note';
    try {
      switch (request.command) {
        case 'log':
          return await (request.prompt.trim() ? this.logNote(request, stream) : this.summarise(request, context, stream, token));
        case 'decision':
          return await this.decision(request, context, stream, token);
        case 'resume':
          return await this.resume(stream);
        case 'history':
          return await this.history(stream);
        case 'search':
          return await this.search(request.prompt, stream);
        case 'report':
          return await this.report(request, stream, token);
        default:
          return this.note(request, stream);
      }
    } catch (error) {
      if (error === NO_FOLDER_CHOSEN) return cancelled(stream);
      return replyWithError(stream, error, this.services.log, command === 'note' ? 'answer' : command);
    }
  };

  readonly followups: vscode.ChatFollowupProvider = {
    provideFollowups: (result) => {
      const kind = result.metadata?.kind as ReplyKind | undefined;
      if (kind === 'report') return result.metadata?.summarised ? [RESUME] : [{ prompt: 'summary', command: 'report', label: 'Summarise this report' }];
      return (kind && FOLLOWUPS[kind]) ?? [];
    },
  };

  /** A message with no command: taken as part of the conversation that `/log` will summarise. */
  private note(request: vscode.ChatRequest, stream: vscode.ChatResponseStream): vscode.ChatResult {
    if (request.prompt.trim()) {
      stream.markdown(
        'Noted for this conversation. Say `/log` when you are done and I will draft the session record from it, ' +
          'or `/log <text>` to write a note right away.\n\n',
      );
      return { metadata: { command: 'note', kind: 'help' } };
    }
    stream.markdown(HELP);
    return { metadata: { command: 'help', kind: 'help' } };
  }

  /** `/log <text>`: written at once, as the Quick Log command does, then reported as the log-session skill does. */
  private async logNote(request: vscode.ChatRequest, stream: vscode.ChatResponseStream): Promise<vscode.ChatResult> {
    const folder = await this.services.folders.choose(undefined, 'Log Session');
    // [[links]] become the Related: line; those ending the note are taken out of it, those inside a sentence stay.
    const links = [...new Set([...request.prompt.matchAll(/\[\[([^[\]\n]+)\]\]/g)].map((match) => match[1]!.trim()))];
    const split = splitTags(request.prompt);
    const message = split.message.replace(/(?:\s*\[\[[^[\]\n]+\]\])+\s*$/, '').trim();
    const result = await logFromVsCode(this.services, folder, { message, tags: split.tags, links });
    stream.markdown(`${loggedReport(result)}\n\n`);
    const line = await headingLine(folder, result.absolutePath, result.heading);
    stream.anchor(new vscode.Location(folder.uriOf(result.absolutePath), new vscode.Position(line, 0)), 'Open the entry');
    return { metadata: { command: 'log', kind: 'logged', path: result.path } };
  }

  /** `/log`: the conversation summarised by the chat's model into a record, previewed with Write and Edit buttons. */
  private async summarise(
    request: vscode.ChatRequest,
    context: vscode.ChatContext,
    stream: vscode.ChatResponseStream,
    token: vscode.CancellationToken,
  ): Promise<vscode.ChatResult> {
    const folder = await this.services.folders.choose(undefined, 'Log Session');
    const entry = await folder.entry();
    const formButton = { command: logCommand.id, title: 'Open the Log Session Form', arguments: [{ cwd: folder.uri }] };
    const drafted = await this.draft(request, context, stream, token, {
      command: 'log',
      prompt: SESSION_PROMPT,
      parse: parseSessionDraft,
      progress: 'Summarising the conversation…',
      justification: 'to draft a session record for your session log from this conversation',
      empty:
        'There is nothing in this conversation to summarise yet. VS Code gives @sessionlog only its own part of a chat: ' +
        'tell me what you did (a few messages to `@sessionlog`), then `/log` again, or write it now with `/log <what you did>` or the Log Session form.',
      unreadable:
        'The model did not give a session record I could read, so nothing was written. Try `/log` again, or write it yourself with the Log Session form.',
      button: formButton,
    });
    if ('reply' in drafted) return drafted.reply;
    const config = folder.config();
    drafted.draft.tags = [...new Set([...drafted.draft.tags, ...config.defaultTags])];
    const { draft, count } = config.redactSecrets ? redactDraft(drafted.draft) : { draft: drafted.draft, count: 0 };
    stream.markdown(sessionPreview(draft, entry.relativePath, count));
    // What the Write button carries: the folder, the previewed record and an id that makes a second click harmless.
    const write = { folder: folder.uri.toString(), draftId: newId(), record: draft };
    stream.button({ command: writeSession.id, title: 'Write to Session Log', arguments: [write] });
    stream.button({ ...formButton, title: 'Edit in Log Session Form', arguments: [{ cwd: folder.uri, prefill: formAnswers(draft) }] });
    return { metadata: { command: 'log', kind: 'preview', draftId: write.draftId } };
  }

  /** `/decision`: an ADR drafted from the conversation (and any text given), previewed, recorded on confirm. */
  private async decision(
    request: vscode.ChatRequest,
    context: vscode.ChatContext,
    stream: vscode.ChatResponseStream,
    token: vscode.CancellationToken,
  ): Promise<vscode.ChatResult> {
    const folder = await this.services.folders.choose(undefined, 'Record Decision');
    const entry = await folder.entry();
    const drafted = await this.draft(request, context, stream, token, {
      command: 'decision',
      prompt: DECISION_PROMPT,
      parse: parseDecisionDraft,
      progress: 'Drafting the decision record…',
      justification: 'to draft an architecture decision record from this conversation',
      empty:
        'Say what was decided, e.g. `/decision Use JWT with short-lived tokens, because the API must stay stateless`, ' +
        'or discuss it with @sessionlog first; then I draft the ADR for you to check before it is written.',
      unreadable:
        'The model did not give a decision record I could read, so nothing was written. Try again with the decision spelt out: `/decision <what was decided and why>`.',
    });
    if ('reply' in drafted) return drafted.reply;
    const { draft, count } = folder.config().redactSecrets ? redactDraft(drafted.draft) : { draft: drafted.draft, count: 0 };
    stream.markdown(decisionPreview(draft, `${path.posix.dirname(entry.relativePath)}/decisions/`, count));
    const write = { folder: folder.uri.toString(), draftId: newId(), decision: draft };
    stream.button({ command: writeDecision.id, title: 'Record Decision', arguments: [write] });
    return { metadata: { command: 'decision', kind: 'decision-preview', draftId: write.draftId } };
  }

  /**
   * The conversation drafted by the chat's model into a record of `how.parse`'s kind; or, where there is
   * nothing to draft from, no model or no record in its reply, the reply that says so (nothing is written).
   */
  private async draft<T>(
    request: vscode.ChatRequest,
    context: vscode.ChatContext,
    stream: vscode.ChatResponseStream,
    token: vscode.CancellationToken,
    how: DraftRequest<T>,
  ): Promise<{ draft: T } | { reply: vscode.ChatResult }> {
    const { command } = how;
    const transcript = conversation(context, request);
    if (transcript.length === 0) {
      stream.markdown(how.empty);
      if (how.button) stream.button(how.button);
      return { reply: { metadata: { command, kind: 'help' } } };
    }
    stream.progress(how.progress);
    const reply = await ask(request, how.prompt, 'conversation', transcriptText(transcript), token, how.justification);
    if (reply === undefined) return { reply: replyNoModel(stream, command) };
    if (token.isCancellationRequested) return { reply: { metadata: { command, kind: 'error', code: 'cancelled' } } };
    const draft = how.parse(reply);
    if (draft) return { draft };
    this.services.log.warn(`Chat /${command}: the model's reply held no record: ${reply.slice(0, 500)}`);
    stream.markdown(how.unreadable);
    if (how.button) stream.button(how.button);
    return { reply: { metadata: { command, kind: 'error', code: 'unreadable_reply' } } };
  }

  /** `/resume`: what the next session needs, each item linked to where it is written. */
  private async resume(stream: vscode.ChatResponseStream): Promise<vscode.ChatResult> {
    const folder = await this.services.folders.choose(undefined, 'Resume');
    const options = await folder.options();
    const resume = await resumeContext(folder.deps, { ...options, sessions: 3 });
    const entryUri = folder.uriOf(resume.absolutePath);
    const at = (line: number) => lineOf(entryUri, line);
    stream.reference(entryUri);
    if (resume.lastSessions.length === 0) {
      stream.markdown(`No sessions in \`${resume.path}\` yet. Log the first with \`/log\`.`);
      return { metadata: { command: 'resume', kind: 'resume' } };
    }
    stream.markdown(`**Resume from \`${resume.path}\`**\n\n`);
    if (resume.next) {
      const from = resume.lastSessions.find((session) => session.heading === resume.next!.heading);
      stream.markdown(`**Next session hint:** ${inline(resume.next.text)} (from `);
      if (from) stream.anchor(at(from.startLine), resume.next.heading || 'the session');
      else stream.markdown(resume.next.heading || 'an earlier session');
      stream.markdown(')\n\n');
    }
    stream.markdown('**Last sessions**\n\n');
    for (const session of resume.lastSessions) sessionLine(stream, session, at(session.startLine));
    stream.markdown(`\n**Open follow-ups** (${resume.openFollowUps.length})\n\n`);
    if (resume.openFollowUps.length === 0) stream.markdown('- none\n');
    for (const item of resume.openFollowUps.slice(0, 10)) {
      stream.markdown(`- [ ] ${inline(item.text)} — `);
      stream.anchor(at(item.sessionLine), item.heading || 'session');
      stream.markdown('\n');
    }
    if (resume.openFollowUps.length > 10) stream.markdown(`- …and ${resume.openFollowUps.length - 10} more (the Follow-ups view has them all)\n`);
    if (resume.recentDecisions.length > 0) {
      stream.markdown('\n**Recent decisions**\n\n');
      for (const decision of resume.recentDecisions) {
        stream.markdown(`- ${inline(decision.decision)}${decision.rationale ? ` — _${inline(decision.rationale)}_` : ''} (${decision.heading})\n`);
      }
    }
    if (resume.records.length > 0) {
      stream.markdown('\n**Decision records**\n\n');
      for (const record of resume.records) {
        stream.markdown('- ');
        stream.anchor(folder.uriOf(path.posix.join(options.kbRoot, record.path)), `${record.id}: ${record.title}`);
        stream.markdown(` (${record.status}${record.date ? `, ${record.date}` : ''})\n`);
      }
    }
    return { metadata: { command: 'resume', kind: 'resume' } };
  }

  /** `/history`: the project's sessions, then its agent sessions, newest first. */
  private async history(stream: vscode.ChatResponseStream): Promise<vscode.ChatResult> {
    const folder = await this.services.folders.choose(undefined, 'Session History');
    const options = await folder.options();
    const page = await sessionHistory(folder.deps, { ...options, limit: 10 });
    const entry = await folder.entry();
    const entryUri = folder.uriOf(entry.entryPath);
    stream.reference(entryUri);
    stream.markdown(`**Sessions in \`${page.path}\`** (${page.sessions.length} of ${page.totalCount}, newest first)\n\n`);
    if (page.sessions.length === 0) stream.markdown('- none yet: log one with `/log`\n');
    for (const session of page.sessions) {
      sessionLine(stream, session, lineOf(entryUri, session.startLine));
    }
    const agents = await (await this.sessions.of(folder)).queryHistory({ limit: 5 });
    if (agents.totalCount > 0) {
      stream.markdown(`\n**Agent sessions** (${agents.sessions.length} of ${agents.totalCount})\n\n`);
      for (const session of agents.sessions) {
        stream.markdown('- ');
        stream.anchor(folder.uriOf(path.posix.join(options.kbRoot, session.path)), session.sessionId);
        stream.markdown(
          ` — ${inline(session.title)} (${session.status}, ${plural(session.turnCount, 'turn')}` +
            `${session.staleTurn ? `, turn ${session.staleTurn} stale` : ''})\n`,
        );
      }
    }
    return { metadata: { command: 'history', kind: 'history' } };
  }

  /**
   * `/report [last] [week|month] [all] [summary]`: the period's report as Markdown, each project's entry
   * referenced; with `summary`, the chat's model summarises it first, with the raw report below as its source.
   */
  private async report(request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    const words = request.prompt.toLowerCase().split(/\s+/).filter(Boolean);
    const folder = await this.services.folders.choose(undefined, 'Weekly Report');
    const options = await folder.options();
    const when = words.includes('last') ? 'last' : 'this';
    const period = words.some((word) => word.startsWith('month')) ? (`${when} month` as const) : when;
    const report = await folderReport(folder, period, words.includes('all'));
    for (const project of report.projects) if (project.entry) stream.reference(folder.uriOf(path.posix.join(options.kbRoot, project.entry)));
    const raw = renderMarkdown(report);
    const summarised = words.some((word) => /^summar/.test(word));
    if (summarised) {
      stream.progress('Summarising the report…');
      const summary = await ask(request, REPORT_PROMPT, 'report', raw, token, 'to summarise your work report');
      if (summary === undefined) stream.markdown('_No language model is available to summarise it; here is the report itself._\n\n');
      else stream.markdown(`${summary.trim()}\n\n---\n\n_The report it summarises:_\n\n`);
    }
    stream.markdown(raw);
    return {
      metadata: { command: 'report', kind: 'report', period: report.period.label, sessions: report.totals.sessions, turns: report.totals.turns, summarised },
    };
  }

  /** `/search <words> #tag kind:turn since:7d`: ranked hits across the knowledge base, each linked to its section. */
  private async search(prompt: string, stream: vscode.ChatResponseStream): Promise<vscode.ChatResult> {
    const { message, tags: hashTags } = splitTags(prompt);
    const { query, filters } = splitInlineFilters(message);
    const tags = [...hashTags, ...(filters.tags ?? [])];
    if (!query.trim() && tags.length === 0 && Object.keys(filters).filter((key) => key !== 'tags').length === 0) {
      stream.markdown(
        'Say what to find: `/search <words>`, with `#tags` and filters such as `kind:turn`, `since:7d`, `project:myapp`, `agent:Codex` or `status:failed` to narrow it, e.g. `/search token refresh #auth since:30d`.',
      );
      return { metadata: { command: 'search', kind: 'help' } };
    }
    const folder = await this.services.folders.choose(undefined, 'Search Sessions');
    const options = await folder.options();
    const hits = await searchSessions(folder.deps, { ...options, ...filters, query, tags, limit: 10, fieldName: inlineName });
    const what = [query.trim() && `"${inline(query.trim())}"`, ...tags.map((tag) => `#${tag}`)].filter(Boolean).join(' ') || 'these filters';
    if (hits.length === 0) {
      stream.markdown(`Nothing matches ${what}.`);
      return { metadata: { command: 'search', kind: 'search', count: 0 } };
    }
    stream.markdown(`**${hits.length === 1 ? '1 result matches' : `${hits.length} results match`} ${what}**, best first\n\n`);
    for (const hit of hits) {
      const uri = folder.uriOf(path.posix.join(options.kbRoot, hit.path));
      stream.markdown('- ');
      stream.anchor(lineOf(uri, hit.line), `${hit.path} · ${hit.heading || hit.kind}`);
      stream.markdown(
        `${hit.tags.length ? ` ${hit.tags.map((tag) => `\`#${tag}\``).join(' ')}` : ''}\n  ${inline(markedSnippet({ text: hit.snippet, highlights: hit.highlights }))}\n`,
      );
    }
    return { metadata: { command: 'search', kind: 'search', count: hits.length } };
  }
}

function sessionLine(stream: vscode.ChatResponseStream, session: Session, location: vscode.Location): void {
  const first = session.message.split('\n').find((line) => line.trim()) ?? '';
  stream.markdown('- ');
  stream.anchor(location, session.heading || '(no heading)');
  const extras = [
    session.files.length ? plural(session.files.length, 'file') : '',
    session.decisions.length ? plural(session.decisions.length, 'decision') : '',
  ]
    .filter(Boolean)
    .join(', ');
  stream.markdown(` — ${inline(clip(first, 120))}${extras ? ` (${extras})` : ''}\n`);
}

/** A 1-based line of a file, for an anchor. */
function lineOf(uri: vscode.Uri, line: number): vscode.Location {
  return new vscode.Location(uri, new vscode.Position(Math.max(0, line - 1), 0));
}

function cancelled(stream: vscode.ChatResponseStream): vscode.ChatResult {
  stream.markdown('No folder was chosen, so nothing was done.');
  return { metadata: { kind: 'error', code: 'cancelled' } };
}

/** The conversation the participant was given: its own earlier turns, this request's text and its attachments. */
export function conversation(context: vscode.ChatContext, request: vscode.ChatRequest): TranscriptMessage[] {
  const messages: TranscriptMessage[] = [];
  for (const turn of context.history) {
    if (turn instanceof vscode.ChatRequestTurn) {
      messages.push({ role: 'User', text: `${turn.command ? `/${turn.command} ` : ''}${turn.prompt}`.trim() });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      const text = turn.response.map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join('');
      messages.push({ role: 'Assistant', text });
    }
  }
  const attached = request.references
    .map((reference) => {
      const value = reference.value;
      const uri = value instanceof vscode.Uri ? value : value instanceof vscode.Location ? value.uri : undefined;
      return uri ? vscode.workspace.asRelativePath(uri) : undefined;
    })
    .filter((file): file is string => !!file);
  const now = [request.prompt.trim(), attached.length ? `(attached: ${attached.join(', ')})` : ''].filter(Boolean).join(' ');
  if (now) messages.push({ role: 'User', text: now });
  return messages.filter((message) => message.text.trim());
}

/**
 * Asks the chat's model (else any model there is) about `source`, given inside `<tag>`, and returns
 * its whole answer; undefined when there is no model. Throws LanguageModelError, which the caller's
 * error reply explains.
 */
async function ask(
  request: vscode.ChatRequest,
  instructions: string,
  tag: 'conversation' | 'report',
  source: string,
  token: vscode.CancellationToken,
  justification: string,
): Promise<string | undefined> {
  // request.model is always set by current VS Code; older hosts and odd states may leave it out.
  const model = (request.model as vscode.LanguageModelChat | undefined) ?? (await vscode.lm.selectChatModels())[0];
  if (!model) return undefined;
  const prompt = `${instructions}\n\n<${tag}>\n${source}\n</${tag}>`;
  const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(prompt)], { justification }, token);
  let text = '';
  for await (const chunk of response.text) text += chunk;
  return text;
}

/** The draft as the Log Session form's prefill (for its Edit button). */
function formAnswers(draft: SessionDraft): Partial<LogAnswers> {
  return { ...draft, followUps: draft.followUps.map((item) => item.text), next: draft.next ?? '' };
}

function newId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The 0-based line of the last section headed `## heading` (the one just written); the entry's end without a heading. */
async function headingLine(folder: FolderContext, file: string, heading: string | undefined): Promise<number> {
  const lines = ((await folder.deps.fs.readText(file)) ?? '').split('\n');
  const at = heading ? lines.lastIndexOf(`## ${heading}`) : -1;
  return at >= 0 ? at : Math.max(0, lines.length - 1);
}
