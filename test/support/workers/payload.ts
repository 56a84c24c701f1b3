/**
 * The messages the writer processes log, made from (writer, sequence) alone, so the test can
 * tell an intact session from a torn or foreign one.
 */

/** A small deterministic hash (FNV-1a) of the writer and sequence numbers. */
function hash(writer: number, seq: number): number {
  let h = 0x811c9dc5;
  for (const char of `${writer}:${seq}`) h = Math.imul(h ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** Bytes of body for this message: mostly small, one in four large enough to span many pages. */
export function bodySize(writer: number, seq: number, large = 64 * 1024): number {
  const h = hash(writer, seq);
  return h % 4 === 0 ? 4096 + (h % large) : 40 + (h % 1500);
}

export function messageFor(writer: number, seq: number, large?: number): string {
  const size = bodySize(writer, seq, large);
  const lines = [`writer ${writer} seq ${seq}`];
  let length = lines[0]!.length;
  for (let i = 0; length < size; i++) {
    const line = `${writer}.${seq}.${i} the quick brown fox jumps over the lazy dog ${i % 40}${'x'.repeat(i % 40)}`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

const HEAD = /^writer (\d+) seq (\d+)$/;

/** The (writer, sequence) a message claims to be, if its first line says so. */
export function identify(message: string): { writer: number; seq: number } | undefined {
  const match = HEAD.exec(message.split('\n', 1)[0] ?? '');
  return match ? { writer: Number(match[1]), seq: Number(match[2]) } : undefined;
}
