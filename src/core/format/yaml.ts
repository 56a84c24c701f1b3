import type * as Library from './yamlLibrary';

let library: typeof Library | undefined;

/**
 * The `yaml` and `gray-matter` libraries, loaded when first needed: most frontmatter and
 * .kbcontext files are read by the fast path, and loading, compiling and warming up the
 * library costs a CLI process about 20 ms, a sixth of its run.
 */
export function yamlLibrary(): typeof Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (library ??= require('./yamlLibrary') as typeof Library);
}
