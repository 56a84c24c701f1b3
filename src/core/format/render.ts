import type { SessionRecord } from '../model/session';
import { codeSpan, escapeText, MARKERS, normalizeItem, normalizeText } from './escape';
import { yamlScalar } from './frontmatter';

/**
 * One session section: `## heading`, then (each only when present, blank-line separated)
 * the tag line, the message, the structured record, and the `Related:` line. memex's layout,
 * with the structured record as `### ` subsections between the message and the links.
 * `heading` undefined writes no heading, as memex's --no-timestamp does.
 */
export function renderSection(heading: string | undefined, record: SessionRecord): string {
  const parts: string[] = [];
  if (heading !== undefined) parts.push(`## ${heading}`);
  if (record.tags.length > 0) parts.push(record.tags.map((tag) => `#${tag}`).join(' '));
  parts.push(escapeText(normalizeText(record.message)));
  if (record.files.length > 0) {
    parts.push(`### ${MARKERS.files}`, record.files.map((file) => `- ${codeSpan(normalizeItem(file))}`).join('\n'));
  }
  if (record.decisions.length > 0) {
    const items = record.decisions.map(({ decision, rationale }) =>
      rationale ? `- ${normalizeItem(decision)}\n  - Rationale: ${normalizeItem(rationale)}` : `- ${normalizeItem(decision)}`,
    );
    parts.push(`### ${MARKERS.decisions}`, items.join('\n'));
  }
  if (record.followUps.length > 0) {
    parts.push(`### ${MARKERS.followUps}`, record.followUps.map(({ text, done }) => `- [${done ? 'x' : ' '}] ${normalizeItem(text)}`).join('\n'));
  }
  if (record.next && normalizeText(record.next)) {
    parts.push(`### ${MARKERS.next}`, escapeText(normalizeText(record.next)));
  }
  if (record.links.length > 0) parts.push(`Related: ${record.links.map((link) => `[[${link}]]`).join(', ')}`);
  return `${parts.join('\n\n')}\n`;
}

interface NewEntry {
  project: string;
  /** The project's tag, or undefined when the project is unknown. */
  projectTag?: string;
  created: string;
}

/** A new entry exactly as memex creates one: frontmatter, `# Session Log`, the intro line. */
export function renderNewEntry({ project, projectTag, created }: NewEntry, firstSection: string): string {
  const tags = projectTag ? [projectTag, 'sessions'] : ['sessions'];
  return [
    '---',
    `title: ${yamlScalar(`${project} Sessions`)}`,
    'tags:',
    ...tags.map((tag) => `  - ${yamlScalar(tag)}`),
    `created: '${created}'`,
    '---',
    '',
    '# Session Log',
    '',
    `Session notes for ${project}.`,
    '',
    firstSection,
  ].join('\n');
}
