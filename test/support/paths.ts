import * as path from 'node:path';

/** The repository, from the compiled tests in out/test/<suite>/. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
/** The bundled CLI (npm run build). */
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
/** The CLI's own bundle, which `dist/cli.js` starts: what a test loads to call `main` in a process of its own. */
export const CLI_MAIN = path.join(REPO_ROOT, 'dist', 'main.js');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
