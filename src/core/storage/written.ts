/**
 * Every writer of the core reports the file it changed here once its write has landed, so what
 * a long-lived process keeps about the knowledge base (the search index) follows its own writes
 * without each front end telling it. Listeners must return at once: they run on the writer's path.
 */
type Listener = (file: string) => void;

const listeners = new Set<Listener>();

export function onFileWritten(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function fileWritten(file: string): void {
  for (const listener of listeners) listener(file);
}
