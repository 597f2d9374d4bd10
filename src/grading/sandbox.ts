/**
 * The operating-system boundary around student code: Node's permission model. The child may read
 * the built library, the packages it depends on and the submission itself, and nothing else: no
 * writes, no child processes, no worker threads, no native addons. Its environment is empty, so
 * it sees none of the parent's variables (an instructor's seed among them).
 *
 * One trap shapes the read list: the permission model checks a path as written, not its target,
 * and `node_modules/nasbook` links to the course folder, which holds `solutions/`. So reads are
 * granted package by package, never to `node_modules` as a whole, and never through that link
 * (the child resolves "nasbook" straight to `dist/`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../core/paths';

/** The flag that turns the permission model on: renamed when it left experimental status. */
export function permissionFlag(nodeVersion = process.versions.node): string {
  return Number(nodeVersion.split('.')[0]) >= 22 ? '--permission' : '--experimental-permission';
}

/** Folders and files the child may read (absolute paths, real targets). */
export function readAllowList(extra: readonly string[] = []): string[] {
  const root = packageRoot();
  const modules = path.join(root, 'node_modules');
  const packages: string[] = [];
  for (const entry of fs.readdirSync(modules)) {
    if (entry === 'nasbook' || entry === '.bin' || entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of fs.readdirSync(path.join(modules, entry))) packages.push(path.join(modules, entry, sub));
    } else {
      packages.push(path.join(modules, entry));
    }
  }
  const allowed = [path.join(root, 'dist'), path.join(root, 'package.json'), ...packages, ...extra.map((p) => path.resolve(p))];
  // A package that is itself a link must be granted at its target too, and never when the
  // target contains the course folder (it would expose solutions/).
  return allowed.flatMap((p) => {
    const real = fs.existsSync(p) ? fs.realpathSync(p) : p;
    if (real !== p && (root + path.sep).startsWith(real + path.sep)) return [];
    return real === p ? [p] : [p, real];
  });
}

/** Node flags for a sandboxed child. */
export function sandboxFlags(options: { heapMb: number; readable?: readonly string[] }): string[] {
  // --no-warnings: Node's own notice that the permission model is experimental is not the student's output.
  const flags = [permissionFlag(), `--max-old-space-size=${options.heapMb}`, '--no-experimental-fetch', '--no-warnings'];
  for (const p of readAllowList(options.readable)) flags.push(`--allow-fs-read=${fs.existsSync(p) && fs.statSync(p).isDirectory() ? `${p}${path.sep}*` : p}`);
  return flags;
}
