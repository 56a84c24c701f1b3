/** A decision record's statuses (`decisionStatus` in its frontmatter). */
export const ADR_STATUSES = ['proposed', 'accepted', 'rejected', 'deprecated', 'superseded'] as const;
export type AdrStatus = (typeof ADR_STATUSES)[number];

/** An ADR before it is written (drafted from a conversation, previewed): what recordDecision takes, every part given. */
export interface DecisionDraft {
  title: string;
  context?: string;
  decision: string;
  rationale?: string;
  alternatives: string[];
  consequences: string[];
  status: AdrStatus;
}

/**
 * A record's own status: `decisionStatus`, or `status` in a record written before records were memex
 * entries (memex's `status` is one of draft, published, archived).
 */
export function decisionStatus(data: Record<string, unknown>): string | undefined {
  if (typeof data.decisionStatus === 'string') return data.decisionStatus;
  return typeof data.status === 'string' && (ADR_STATUSES as readonly string[]).includes(data.status) ? data.status : undefined;
}
