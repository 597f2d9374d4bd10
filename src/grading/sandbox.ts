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
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../core/paths';

/** How the child is kept off the network. */
export type NetworkIsolation = 'namespace' | 'in-process';

let probed: NetworkIsolation | undefined;

/**
 * Whether this machine lets the grader run each child in a network namespace of its own (Linux,
 * `unshare -rn`: a new user namespace maps the grader's user, a new network namespace has only a
 * loopback that is down), so the child has no network at all, whatever it reaches inside Node.
 * Elsewhere ('in-process') the child closes every network class itself (child.ts). Probed once:
 * it works as root and, where the kernel allows unprivileged user namespaces, as any user.
 * `NASBOOK_GRADER_NETNS=0` turns the namespace off (to compare, or where probing misleads).
 */
export function networkIsolation(): NetworkIsolation {
  if (probed) return probed;
  if (process.platform !== 'linux' || process.env.NASBOOK_GRADER_NETNS === '0') return (probed = 'in-process');
  // The probe must show the network is really gone, not only that unshare ran.
  const probe = "require('node:dgram').createSocket('udp4').send('x', 9, '127.0.0.1', (e) => process.exit(e ? 0 : 3))";
  const r = spawnSync('unshare', ['-rn', process.execPath, '-e', probe], { stdio: 'ignore', timeout: 20_000, env: {} });
  return (probed = r.status === 0 ? 'namespace' : 'in-process');
}

/** The flag that turns the permission model on: renamed when it left experimental status. */
export function permissionFlag(nodeVersion = process.versions.node): string {
  return Number(nodeVersion.split('.')[0]) >= 22 ? '--permission' : '--experimental-permission';
}

const allowCache = new Map<string, string[]>();

/** Folders and files the child may read (absolute paths, real targets). */
export function readAllowList(extra: readonly string[] = []): string[] {
  const key = extra.join('\0');
  let list = allowCache.get(key);
  if (!list) allowCache.set(key, (list = computeAllowList(extra)));
  return list;
}

function computeAllowList(extra: readonly string[]): string[] {
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

const flagCache = new Map<string, string[]>();

/**
 * Node flags for a sandboxed child.
 * @param options.workDir the child's empty private working folder: also where Node would put any
 *   diagnostic file, so whatever slips past the permission model lands where the runner looks
 */
export function sandboxFlags(options: { heapMb: number; readable?: readonly string[]; workDir?: string; extraFlags?: readonly string[] }): string[] {
  const key = (options.readable ?? []).join('\0');
  let reads = flagCache.get(key);
  if (!reads) {
    reads = readAllowList(options.readable).map((p) => `--allow-fs-read=${fs.existsSync(p) && fs.statSync(p).isDirectory() ? `${p}${path.sep}*` : p}`);
    flagCache.set(key, reads);
  }
  // --no-warnings: Node's own notice that the permission model is experimental is not the student's output.
  const flags = [permissionFlag(), `--max-old-space-size=${options.heapMb}`, '--no-experimental-fetch', '--no-warnings'];
  if (options.workDir) flags.push(`--diagnostic-dir=${options.workDir}`);
  return [...flags, ...(options.extraFlags ?? []), ...reads];
}

/**
 * The command that starts a sandboxed child: node with the sandbox flags, inside a network
 * namespace where the machine allows it.
 */
export function sandboxCommand(script: string, options: { heapMb: number; readable?: readonly string[]; workDir?: string; extraFlags?: readonly string[] }): { command: string; args: string[] } {
  const node = [...sandboxFlags(options), script];
  return networkIsolation() === 'namespace' ? { command: 'unshare', args: ['-rn', process.execPath, ...node] } : { command: process.execPath, args: node };
}
