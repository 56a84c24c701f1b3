/**
 * A writer process for the concurrency and crash tests: appends sessions through the core's
 * logSession, printing `ack WRITER SEQ` after each append returns.
 *
 *   node appendWorker.js '{"kbRoot": "...", "writer": 3, "count": 100, "startAt": 1700000000000}'
 *
 * `count` 0 appends until the process is killed. `startAt` lines several writers up.
 */
import { logSession } from '../../../src/core/usecases/logSession';
import { createNodeDeps } from '../../../src/node/nodeDeps';
import { messageFor } from './payload';

interface Options {
  kbRoot: string;
  writer: number;
  count: number;
  startAt?: number;
  /** Largest extra body size of the large messages. */
  large?: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Options;
  const deps = createNodeDeps({
    env: { get: (name) => (name === 'MEMEX_KB_ROOT' ? options.kbRoot : undefined), cwd: () => options.kbRoot },
    logger: { info: () => undefined, warn: () => undefined },
  });
  process.stdout.write('ready\n');
  if (options.startAt) await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.startAt! - Date.now())));
  for (let seq = 0; options.count === 0 || seq < options.count; seq++) {
    await logSession(deps, { message: messageFor(options.writer, seq, options.large), tags: [`w${options.writer}`], redact: false, cwd: options.kbRoot });
    process.stdout.write(`ack ${options.writer} ${seq}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
