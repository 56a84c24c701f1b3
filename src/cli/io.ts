import { writeSync } from 'node:fs';
import { SessionLogError } from '../core/errors';

/** Where the CLI writes and reads; tests and the MCP server give their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  /**
   * Standard input line by line as it arrives (the REPL answers each line before the next comes), as bytes
   * without the line end: the reader decodes them, so a line that is not UTF-8 is refused, never altered.
   */
  stdinLines?(): AsyncIterable<Uint8Array>;
  stdinIsTty: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const processIo: Io = {
  out: (text) => writeLine(1, text),
  err: (text) => writeLine(2, text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return decodeUtf8(Buffer.concat(chunks), 'standard input');
  },
  stdinLines: async function* () {
    let pending: Buffer = Buffer.alloc(0);
    for await (const chunk of process.stdin) {
      pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
      let end: number;
      while ((end = pending.indexOf(0x0a)) !== -1) {
        yield withoutCr(pending.subarray(0, end));
        pending = pending.subarray(end + 1);
      }
    }
    if (pending.length > 0) yield withoutCr(pending);
  },
  // Asked only when needed: touching process.stdin sets up a stream (and loads its modules) in every command.
  get stdinIsTty() {
    return !!process.stdin.isTTY;
  },
  cwd: process.cwd(),
  env: process.env,
};

/** The descriptors that once would have blocked: from then on their stream takes everything, in order. */
const streamed = new Set<1 | 2>();

/**
 * Writes straight to standard output or error: creating process.stdout loads node's stream
 * modules, milliseconds of a short command's run. A descriptor that would block (a full
 * non-blocking pipe) hands the rest, and all that follows, to the stream; a reader that has
 * gone (`| head`) ends the output.
 */
function writeLine(fd: 1 | 2, text: string): void {
  let bytes = Buffer.from(text.endsWith('\n') ? text : `${text}\n`);
  const stream = () => (fd === 1 ? process.stdout : process.stderr);
  if (streamed.has(fd)) return void stream().write(bytes);
  try {
    while (bytes.length > 0) bytes = bytes.subarray(writeSync(fd, bytes));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') {
      streamed.add(fd);
      stream().write(bytes);
    } else if (code !== 'EPIPE') throw error;
  }
}

function withoutCr(line: Buffer): Buffer {
  return line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
}

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The bytes as text, refusing bytes that are not UTF-8 with an error naming `source` and the
 * first bad byte: decoding them would silently put U+FFFD in their place.
 */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return fatalDecoder.decode(bytes);
  } catch {
    const lenient = Buffer.from(new TextDecoder().decode(bytes));
    let at = 0;
    while (at < bytes.length && bytes[at] === lenient[at]) at++;
    throw new SessionLogError(
      'invalid_input',
      `${source} is not valid UTF-8 text (the byte at offset ${at} is not).`,
      { field: source, offset: at },
      'Convert it to UTF-8 first (e.g. iconv -t UTF-8), or give plain text.',
    );
  }
}
