/**
 * simple-git and its dependencies, which only `sessionlog sync`, `--files-from-git` and project
 * detection without a `.kbcontext` project use: the CLI's bundle keeps them apart, in dist/git.js
 * (see esbuild.js), so other commands start without reading and compiling them.
 */
export { simpleGit } from 'simple-git';
