/**
 * A kernel that outlives the process that started it keeps computing for nobody: when a Jupyter
 * server or `nbconvert --execute` is killed (a test's timeout, a closed terminal, an out-of-memory
 * kill), nothing tells the kernel, and a notebook's training loop goes on using a core. ipykernel
 * polls its parent for this reason; a tslab kernel cannot poll from its own thread, because a cell
 * that computes for minutes blocks it. So a small watcher process (a shell loop, in a process
 * group of its own so that Jupyter's interrupt signal to the kernel's group does not end it)
 * checks every second that the parent is alive, kills the kernel when it is not, and exits when
 * the kernel does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * The process that started this kernel: jupyter_client's JPY_PARENT_PID when set, else the parent.
 * @internal
 */
export function kernelParentPid(env: NodeJS.ProcessEnv = process.env, ppid: number = process.ppid): number {
  const fromJupyter = Number(env.JPY_PARENT_PID);
  return Number.isInteger(fromJupyter) && fromJupyter > 1 ? fromJupyter : ppid;
}

/**
 * Starts the watcher that ends process `kernel` when process `parent` is gone.
 * @param parent the pid whose end ends the kernel (default: {@link kernelParentPid})
 * @param kernel the pid to end (default: this process)
 * @returns the watcher process, or null where there is no POSIX shell or no parent to watch
 * @example exitWithParent(); // in a kernel's main script
 */
export function exitWithParent(parent: number = kernelParentPid(), kernel: number = process.pid): ChildProcess | null {
  if (process.platform === 'win32' || !fs.existsSync('/bin/sh') || !Number.isInteger(parent) || parent <= 1) return null;
  const loop = `while kill -0 ${parent} 2>/dev/null && kill -0 ${kernel} 2>/dev/null; do sleep 1; done; kill -9 ${kernel} 2>/dev/null`;
  const watcher = spawn('/bin/sh', ['-c', loop], { stdio: 'ignore', detached: true });
  watcher.unref();
  return watcher;
}
