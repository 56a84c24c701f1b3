const TAG = /(^|\s)#([\p{L}_][^\s#,[\]]*)/gu;

/**
 * Splits inline `#tags` off a quick note (Quick Log, the chat's `/log <text>` and `/search`): a
 * run of tags at the end is removed, a tag inside the sentence keeps its word ("Fixed #auth bug"
 * → "Fixed auth bug"). `#123` is not a tag.
 */
export function splitTags(text: string): { message: string; tags: string[] } {
  const tags = [...text.matchAll(TAG)].map((match) => match[2]!);
  const trailing = /(?:\s+#[\p{L}_][^\s#,[\]]*)+\s*$/u;
  const message = text
    .replace(trailing, '')
    .replace(TAG, (_match, space: string, tag: string) => `${space}${tag}`)
    .trim();
  return { message, tags };
}
