/**
 * Where nasbook's own files are. The package root is found from this file's location, so the
 * same code works from src/ (tests), from dist/ (the built package) and through the
 * node_modules/nasbook link that notebooks use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let cachedRoot: string | null = null;

/** The folder holding nasbook's package.json. */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'nasbook') return (cachedRoot = fs.realpathSync(dir));
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`nasbook: cannot find the package root above ${__dirname}`);
    dir = parent;
  }
}

/** The data folder (`data/`); `NASBOOK_DATA` overrides it. */
export function dataDir(): string {
  return process.env.NASBOOK_DATA ? path.resolve(process.env.NASBOOK_DATA) : path.join(packageRoot(), 'data');
}

/** A folder of the course inside the package: 'exercises', 'solutions', 'notebooks'. */
export function courseDir(kind: 'exercises' | 'solutions' | 'notebooks'): string {
  return path.join(packageRoot(), kind);
}
