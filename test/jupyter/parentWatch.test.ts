import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import { kernelParentPid } from '../../src/jupyter/parentWatch';

const watchJs = path.join(packageRoot(), 'dist', 'jupyter', 'parentWatch.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(test: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (test()) return true;
  return test();
}

/**
 * A shell (the "Jupyter" that starts the kernel) and a "kernel" under it that starts the watcher and
 * then blocks its thread in a loop, as a cell that trains for minutes does. Resolves to both pids.
 */
function startParentAndKernel(): Promise<{ parent: ChildProcess; kernelPid: number }> {
  const kernel = `require(${JSON.stringify(watchJs)}).exitWithParent(); console.log(process.pid); for (;;) {}`;
  const parent = spawn('/bin/sh', ['-c', `node -e '${kernel}' & wait`], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    parent.stdout!.once('data', (d: Buffer) => resolve({ parent, kernelPid: Number(String(d).trim()) }));
    parent.once('error', reject);
  });
}

describe('a kernel ends with the process that started it', () => {
  const started: number[] = [];
  afterEach(() => {
    for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('takes the parent from JPY_PARENT_PID when Jupyter sets it', () => {
    expect(kernelParentPid({ JPY_PARENT_PID: '4321' }, 99)).toBe(4321);
    expect(kernelParentPid({}, 99)).toBe(99);
    expect(kernelParentPid({ JPY_PARENT_PID: 'x' }, 99)).toBe(99);
  });

  it.skipIf(process.platform === 'win32')('is killed, although its thread is busy, once its parent is killed; not before', async () => {
    const { parent, kernelPid } = await startParentAndKernel();
    started.push(kernelPid, parent.pid!);
    // With the parent alive the kernel keeps running, through more than two of the watcher's checks.
    await new Promise((r) => setTimeout(r, 2500));
    expect(alive(kernelPid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await until(() => !alive(kernelPid), 15_000)).toBe(true);
  }, 30_000);
});
