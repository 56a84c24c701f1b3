/** A decision taken during a session, with why (the log-session skill's `decisions_made`). */
export interface Decision {
  decision: string;
  rationale?: string;
}

export interface FollowUp {
  text: string;
  done: boolean;
}

/** What a writer gives to log one session. Only `message` is required. */
export interface SessionRecord {
  message: string;
  tags: string[];
  links: string[];
  files: string[];
  decisions: Decision[];
  followUps: FollowUp[];
  /** Context for the next session (the log-session skill's `context_for_next_session`). */
  next?: string;
}

/** One `## ` section of an entry, as read back. */
export interface Session extends SessionRecord {
  /** The heading text after `## `, e.g. `2026-01-11 14:45 UTC`. */
  heading: string;
  /** ISO time when the heading is a timestamp, e.g. `2026-01-11T14:45:00Z`. */
  timestamp?: string;
  /** 1-based lines of the heading and of the section's last line. */
  startLine: number;
  endLine: number;
  /** Position among the entry's sections, from 0. */
  index: number;
}

export interface Entry {
  /** Frontmatter exactly as parsed; unknown keys included. */
  frontmatter: Record<string, unknown>;
  /** The body before the first section (title and intro). */
  preamble: string;
  sessions: Session[];
}
