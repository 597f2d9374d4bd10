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

/** How the child's memory is bounded. */
export type MemoryIsolation = 'rlimit' | 'v8-heap';

let memoryProbed: MemoryIsolation | undefined;

/**
 * How this machine bounds a child's memory. 'rlimit' (Linux, util-linux's `prlimit`): the operating
 * system's limit on the process's data (`RLIMIT_DATA`: every private writable page it commits, the
 * JavaScript heap and Buffers alike), so the child dies at the limit however it allocates.
 * Elsewhere, 'v8-heap': V8's `--max-old-space-size`, which bounds the JavaScript heap only (the
 * parent's watch on resident memory bounds the rest). The V8 flag is avoided where it can be: any V8
 * flag on the command line makes Node discard the compiled code of its own modules that it ships
 * with (the cache is keyed on V8's flags), which doubled the processor time of starting a child
 * (0.05 s to 0.09 s; bench/README.md). Probed once; `NASBOOK_GRADER_RLIMIT=0` turns it off.
 */
export function memoryIsolation(): MemoryIsolation {
  if (memoryProbed) return memoryProbed;
  if (process.platform !== 'linux' || process.env.NASBOOK_GRADER_RLIMIT === '0') return (memoryProbed = 'v8-heap');
  // The probe must show Node starts under the limit and dies past it: it says it started, then
  // allocates well past the limit (a Buffer bomb, outside V8's own heap limit).
  const probe = "require('fs').writeSync(1, 'started'); const a = []; for (let i = 0; i < 512; i++) a.push(Buffer.alloc(1 << 20, 1)); process.exit(3)";
  const r = spawnSync('prlimit', [`--data=${256 * 2 ** 20}`, process.execPath, '-e', probe], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000, env: {} });
  const held = r.error === undefined && r.stdout === 'started' && r.status !== 0 && r.status !== 3;
  return (memoryProbed = held ? 'rlimit' : 'v8-heap');
}

/**
 * The memory a child may use, in MiB, for a heap limit of `heapMb`: the runner ends a process whose
 * resident memory passes it ("out of memory"), watching every 100 ms and whenever a call reports.
 */
export function memoryWatchMiB(heapMb: number): number {
  return heapMb + 512;
}

/**
 * The operating system's hard limit on a child's committed memory, in bytes, with 'rlimit': above
 * the watch, so the watch ends an ordinary memory hog (and the calls after it run in a fresh
 * process), while a bomb that allocates faster than the watch looks is stopped here.
 */
export function hardMemoryLimitBytes(heapMb: number): number {
  return (memoryWatchMiB(heapMb) + 512) * 2 ** 20;
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
  const flags = [permissionFlag(), '--no-experimental-fetch', '--no-warnings'];
  if (memoryIsolation() === 'v8-heap') flags.push(`--max-old-space-size=${options.heapMb}`);
  if (options.workDir) flags.push(`--diagnostic-dir=${options.workDir}`);
  return [...flags, ...(options.extraFlags ?? []), ...reads];
}

/**
 * The command that starts a sandboxed child: node with the sandbox flags, under the operating
 * system's memory limit and inside a network namespace where the machine allows them.
 */
export function sandboxCommand(script: string, options: { heapMb: number; readable?: readonly string[]; workDir?: string; extraFlags?: readonly string[] }): { command: string; args: string[] } {
  let argv = [process.execPath, ...sandboxFlags(options), script];
  if (memoryIsolation() === 'rlimit') argv = ['prlimit', `--data=${hardMemoryLimitBytes(options.heapMb)}`, ...argv];
  if (networkIsolation() === 'namespace') argv = ['unshare', '-rn', ...argv];
  return { command: argv[0], args: argv.slice(1) };
}
