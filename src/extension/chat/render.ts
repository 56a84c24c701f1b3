/**
 * The participant's replies as Markdown. Nothing here imports `vscode`: links to entries are
 * added by the caller (anchors and references), so the text itself is tested in plain node.
 */
import type { DecisionRecord } from '../../core/usecases/decisions';
import type { LogSessionResult } from '../../core/usecases/logSession';
import type { DecisionDraft } from '../../core/model/decision';
import type { SessionDraft } from './draft';
import { clip, plural } from '../../core/format/escape';

/** Text from a model or a file shown inside Markdown as written: no raw HTML. */
function block(text: string): string {
  return text.replace(/[<>]/g, (char) => (char === '<' ? '&lt;' : '&gt;')).trim();
}

/** The same on one line: no heading or list of its own at a line start either. */
export function inline(text: string): string {
  return block(text.replace(/\s*\n\s*/g, ' '));
}

/** The preview of a drafted session record, before anything is written. */
export function sessionPreview(draft: SessionDraft, entry: string, redactions: number): string {
  const lines = [`**Session record for \`${entry}\`** (preview, not written yet)`, '', '**Summary**', '', block(draft.message), ''];
  if (draft.tags.length > 0) lines.push(`**Tags:** ${draft.tags.map((tag) => `\`#${tag}\``).join(' ')}`, '');
  if (draft.links.length > 0) lines.push(`**Related:** ${draft.links.map((link) => `\`[[${link}]]\``).join(', ')}`, '');
  lines.push(`**Files modified** (${draft.files.length})`, '', ...(draft.files.length ? draft.files.map((file) => `- \`${inline(file)}\``) : ['- none']), '');
  lines.push(
    `**Decisions** (${draft.decisions.length})`,
    '',
    ...(draft.decisions.length ? draft.decisions.map((d) => `- ${inline(d.decision)}${d.rationale ? ` — _${inline(d.rationale)}_` : ''}`) : ['- none']),
    '',
  );
  lines.push(
    `**Follow-ups** (${draft.followUps.length})`,
    '',
    ...(draft.followUps.length ? draft.followUps.map((f) => `- [ ] ${inline(f.text)}`) : ['- none']),
    '',
  );
  if (draft.next) lines.push('**Context for the next session**', '', block(draft.next), '');
  if (redactions > 0) lines.push(`_${plural(redactions, 'secret')} redacted before this preview._`, '');
  return lines.join('\n');
}

/** What was written, as the log-session skill reports it. */
export function loggedReport(result: Pick<LogSessionResult, 'path' | 'record' | 'redactions' | 'warnings'>): string {
  const { record } = result;
  const summary = inline(record.message.split('\n').find((line) => line.trim()) ?? record.message);
  const lines = [
    `Session logged to: \`${result.path}\``,
    '',
    'Recorded:',
    `- Summary: ${clip(summary, 160)}`,
    `- Files: ${record.files.length} modified`,
    `- Decisions: ${record.decisions.length} recorded`,
    `- Follow-ups: ${plural(record.followUps.length, 'task')}`,
  ];
  if (record.tags.length > 0) lines.push(`- Tags: ${record.tags.map((tag) => `#${tag}`).join(' ')}`);
  if (record.next) lines.push('', `Next session hint: ${inline(record.next)}`);
  const notes = result.warnings.filter((warning) => !/redacted before writing/.test(warning));
  if (result.redactions > 0) lines.push('', `_${plural(result.redactions, 'secret')} redacted before writing._`);
  if (notes.length > 0) lines.push('', ...notes.map((warning) => `_Note: ${inline(warning)}_`));
  return lines.join('\n');
}

/** The same report on one line, for a notification. */
export function loggedNotice(result: Pick<LogSessionResult, 'path' | 'record'>): string {
  const { record } = result;
  return (
    `Session logged to ${result.path}. Recorded: ${record.files.length} files, ${plural(record.decisions.length, 'decision')}, ` +
    `${plural(record.followUps.length, 'follow-up')}.${record.next ? ` Next session hint: ${inline(record.next)}` : ''}`
  );
}

/** The preview of a drafted ADR. */
export function decisionPreview(draft: DecisionDraft, folder: string, redactions: number): string {
  const lines = [
    `**ADR for \`${folder}\`** (preview, not written yet; the next ADR-NNN number is taken when it is written)`,
    '',
    `### ${inline(draft.title)}`,
    '',
    `**Status:** ${draft.status}`,
    '',
  ];
  const section = (heading: string, body: string | undefined) => {
    if (body) lines.push(`**${heading}**`, '', block(body), '');
  };
  const list = (heading: string, items: string[]) => {
    if (items.length) lines.push(`**${heading}**`, '', ...items.map((item) => `- ${inline(item)}`), '');
  };
  section('Context', draft.context);
  section('Decision', draft.decision);
  section('Rationale', draft.rationale);
  list('Alternatives considered', draft.alternatives);
  list('Consequences', draft.consequences);
  if (redactions > 0) lines.push(`_${plural(redactions, 'secret')} redacted before this preview._`, '');
  return lines.join('\n');
}

export function decisionReport(record: DecisionRecord): string {
  return `Decision recorded: **${record.id}** ${inline(record.title)} (${record.status}, ${record.date}) in \`${record.path}\`.`;
}
