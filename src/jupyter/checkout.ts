/**
 * Which copy of nasbook a notebook belongs to. A student may have several checkouts (their work, a
 * fresh clone, a course update), while Jupyter keeps one kernel registration per name: the kernel
 * therefore asks, at start, which nasbook the notebook's own folder imports, and serves that one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The `name` field of a package.json, or null when there is none or it cannot be read. */
function packageName(dir: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name as string;
  } catch {
    return null;
  }
}

/**
 * The nasbook package that `import "nasbook"` finds from `dir`, looked up the way Node and
 * TypeScript look it up (`node_modules/nasbook` in `dir` and each folder above it).
 * @param dir the folder a notebook lives in (the kernel's working directory)
 * @returns the real path of that package's root, or null when no nasbook is visible from `dir`
 * @example importedCheckout('/home/ana/nasbook/notebooks') // '/home/ana/nasbook' (through its self-link)
 */
export function importedCheckout(dir: string): string | null {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (path.basename(current) !== 'node_modules') {
      const candidate = path.join(current, 'node_modules', 'nasbook');
      if (packageName(candidate) === 'nasbook') return fs.realpathSync(candidate);
    }
    if (path.dirname(current) === current) return null;
  }
}
