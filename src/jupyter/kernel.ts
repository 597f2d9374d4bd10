/**
 * nasbook's Jupyter kernel, registered under the name `nasbook`. The kernel spec starts this
 * package's kernel script with this Node by absolute path, so it works whatever PATH Jupyter was
 * started with (a bare `tslab` command fails with "No such file or directory" when
 * node_modules/.bin is not on PATH). The script serves each notebook with the checkout its folder
 * imports (kernelMain.ts), so one registration serves every checkout on the machine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../core/paths';
import { findJupyter, jupyterDataDir, type JupyterInstall } from './find';

export const KERNEL_NAME = 'nasbook';
export const KERNEL_DISPLAY_NAME = 'TypeScript (nasbook)';

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
}

/** Where a kernel is registered, as in `jupyter kernelspec install`: per user (default), in Jupyter's Python prefix, or under a prefix. */
export type KernelScope = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; prefix: string };

/** The tslab entry script of this package. */
export function tslabBinary(): string {
  const manifest = require.resolve('tslab/package.json', { paths: [packageRoot()] });
  return path.join(path.dirname(manifest), 'bin', 'tslab');
}

/** The kernel script of this package (built by `npm run build`). */
export function kernelScript(): string {
  return path.join(packageRoot(), 'dist', 'jupyter', 'kernelMain.js');
}

/** The kernel spec that starts this package's kernel script. */
export function kernelSpec(): KernelSpec {
  return {
    argv: [process.execPath, kernelScript(), '--config-path', '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
  };
}

/**
 * Write the kernel spec into `kernelsDir/nasbook/kernel.json` (a `kernels` folder of a Jupyter
 * data path). Returns the spec file's path.
 */
export function writeKernelSpec(kernelsDir: string): string {
  const dir = path.join(kernelsDir, KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'kernel.json');
  fs.writeFileSync(file, `${JSON.stringify(kernelSpec(), null, 2)}\n`);
  return file;
}

/** The registered nasbook kernel spec as Jupyter sees it, or null. */
export function registeredKernel(install: JupyterInstall = findJupyter()): { dir: string; spec: KernelSpec } | null {
  if (!install.jupyter) return null;
  const r = spawnSync(install.jupyter, ['kernelspec', 'list', '--json'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const found = (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: KernelSpec }> }).kernelspecs[KERNEL_NAME];
  return found ? { dir: found.resource_dir, spec: found.spec } : null;
}

/** True when the registered kernel starts this very package's kernel script (not a moved or older copy). */
export function kernelIsCurrent(install: JupyterInstall = findJupyter()): boolean {
  const found = registeredKernel(install);
  if (!found) return false;
  const want = kernelSpec().argv;
  return found.spec.argv.length === want.length && found.spec.argv.every((a, i) => a === want[i]);
}

/** The `kernels` folder a scope stands for, when it can be known without Jupyter. */
function kernelsDirWithoutJupyter(scope: KernelScope): string {
  if (scope.kind === 'user') return path.join(jupyterDataDir({ jupyter: null, lab: null, notebook: null, nbconvert: null }), 'kernels');
  if (scope.kind === 'prefix') return path.join(path.resolve(scope.prefix), 'share', 'jupyter', 'kernels');
  throw new Error("installKernel: '--sys-prefix' needs Jupyter (it is Jupyter's Python prefix); install Jupyter first, or give --user or --prefix");
}

function scopeFlags(scope: KernelScope): string[] {
  if (scope.kind === 'user') return ['--user'];
  if (scope.kind === 'sys-prefix') return ['--sys-prefix'];
  return [`--prefix=${path.resolve(scope.prefix)}`];
}

/**
 * Register the kernel: with `jupyter kernelspec install` when Jupyter is there (it knows its own
 * paths), else by writing the spec where Jupyter will look once installed (user and prefix scopes).
 * @param scope where to register (default: for the current user)
 * @returns the kernel spec file written
 * @throws Error if Jupyter refuses, or for `sys-prefix` without Jupyter
 * @example installKernel({ kind: 'prefix', prefix: '/opt/conda' }) // '/opt/conda/share/jupyter/kernels/nasbook/kernel.json'
 */
export function installKernel(scope: KernelScope = { kind: 'user' }, install: JupyterInstall = findJupyter()): string {
  if (scope.kind === 'user' && process.env.JUPYTER_DATA_DIR) return writeKernelSpec(path.join(process.env.JUPYTER_DATA_DIR, 'kernels'));
  if (!install.jupyter) return writeKernelSpec(kernelsDirWithoutJupyter(scope));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-kernel-'));
  try {
    writeKernelSpec(staging);
    const r = spawnSync(install.jupyter, ['kernelspec', 'install', path.join(staging, KERNEL_NAME), '--name', KERNEL_NAME, '--replace', ...scopeFlags(scope)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`installKernel: 'jupyter kernelspec install' failed: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
    // Jupyter prints "Installed kernelspec nasbook in DIR".
    const dir = /Installed kernelspec \S+ in (.+)$/m.exec(`${r.stdout}\n${r.stderr}`)?.[1]?.trim();
    return path.join(dir ?? kernelsDirWithoutJupyter(scope), ...(dir ? [] : [KERNEL_NAME]), 'kernel.json');
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Remove the registered kernel Jupyter would start (the first it lists under the name `nasbook`;
 * the per-user one where Jupyter is missing). Another registration in a further scope stays.
 * @returns the folder removed, or null when none was registered
 * @throws Error if Jupyter refuses (for example a system folder without the rights to write it)
 */
export function removeKernel(install: JupyterInstall = findJupyter()): string | null {
  if (!install.jupyter) {
    const dir = path.join(kernelsDirWithoutJupyter({ kind: 'user' }), KERNEL_NAME);
    if (!fs.existsSync(dir)) return null;
    fs.rmSync(dir, { recursive: true, force: true });
    return dir;
  }
  const found = registeredKernel(install);
  if (!found) return null;
  const r = spawnSync(install.jupyter, ['kernelspec', 'remove', '-y', KERNEL_NAME], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`removeKernel: 'jupyter kernelspec remove' failed: ${(r.stderr || r.stdout).trim()}`);
  return found.dir;
}

/**
 * Register the kernel for the current user unless the current one is already registered.
 * @returns the kernel spec file and whether it was (re)written
 */
export function ensureKernel(install: JupyterInstall = findJupyter()): { file: string; written: boolean } {
  if (kernelIsCurrent(install)) return { file: path.join(registeredKernel(install)!.dir, 'kernel.json'), written: false };
  return { file: installKernel({ kind: 'user' }, install), written: true };
}
