/**
 * nasbook's Jupyter kernel: tslab, registered under the name `nasbook`. The kernel spec starts
 * tslab with this Node and this package's tslab by absolute path, so it works whatever PATH
 * Jupyter was started with (a bare `tslab` command fails with "No such file or directory" when
 * node_modules/.bin is not on PATH).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
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

/** The tslab entry script of this package. */
export function tslabBinary(): string {
  const manifest = require.resolve('tslab/package.json', { paths: [packageRoot()] });
  return path.join(path.dirname(manifest), 'bin', 'tslab');
}

/** The kernel spec that starts this package's tslab. */
export function kernelSpec(): KernelSpec {
  return {
    argv: [process.execPath, tslabBinary(), 'kernel', '--config-path', '{connection_file}'],
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

/** True when the registered kernel starts this very package's tslab (not a moved or older copy). */
export function kernelIsCurrent(install: JupyterInstall = findJupyter()): boolean {
  const found = registeredKernel(install);
  if (!found) return false;
  const want = kernelSpec().argv;
  return found.spec.argv.length === want.length && found.spec.argv.every((a, i) => a === want[i]);
}

/**
 * Register the kernel for the current user unless the current one is already registered.
 * @returns the kernel spec file and whether it was (re)written
 */
export function ensureKernel(install: JupyterInstall = findJupyter()): { file: string; written: boolean } {
  if (kernelIsCurrent(install)) return { file: path.join(registeredKernel(install)!.dir, 'kernel.json'), written: false };
  return { file: writeKernelSpec(path.join(jupyterDataDir(install), 'kernels')), written: true };
}
