/** Where the CLI writes and reads; tests and the MCP server give their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  /** Standard input line by line as it arrives (the REPL answers each line before the next comes). */
  stdinLines?(): AsyncIterable<string>;
  stdinIsTty: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  // readline loads only for the commands that read lines (the REPL).
  stdinLines: async function* () {
    const readline = await import('node:readline');
    yield* readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  },
  // Asked only when needed: touching process.stdin sets up a stream (and loads its modules) in every command.
  get stdinIsTty() {
    return !!process.stdin.isTTY;
  },
  cwd: process.cwd(),
  env: process.env,
};

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
