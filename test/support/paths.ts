import * as path from 'node:path';

/** The repository, from the compiled tests in out/test/<suite>/. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
/** The bundled CLI (npm run build). */
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
