/**
 * The process Jupyter starts for the nasbook kernel (`node dist/jupyter/kernelMain.js --config-path F`).
 *
 * One registration serves every checkout on the machine: Jupyter starts a kernel in the notebook's
 * folder, and this script hands the notebook to the nasbook its folder imports (that checkout's
 * own kernel script, its tslab, its library, its exercises). A notebook outside every checkout gets
 * the library the kernel was registered from. Then tslab runs, with its shell messages handled
 * one at a time so that Jupyter's busy indicator tells the truth (see tslabPatches.ts). A kernel
 * whose starter is killed ends too (parentWatch.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../core/paths';
import { importedCheckout } from './checkout';
import { exitWithParent } from './parentWatch';
import { recordCurrentCell, serializeShellMessages, serveNasbookFrom } from './tslabPatches';

export interface KernelStart {
  /** Jupyter's connection file. */
  configPath: string;
  /** The notebook's folder (default: the working directory Jupyter gave the kernel). */
  notebookDir?: string;
  /** Set when another checkout's kernel script handed the notebook over (no second hand-over). */
  handedOver?: boolean;
}

type StartKernel = (o: { configPath: string; enableFindLocal: boolean; jsKernel: boolean; globalVersion: string }) => void;

function tslabDirOf(root: string): string {
  return path.dirname(require.resolve('tslab/package.json', { paths: [root] }));
}

/**
 * Start the kernel for the notebook in `notebookDir`, or hand it to the checkout that folder imports.
 * Keep this signature: other checkouts' kernel scripts call it.
 * @throws Error if `configPath` is empty
 */
export function startNasbookKernel(start: KernelStart): void {
  if (!start.configPath) throw new Error("startNasbookKernel: 'configPath' must be the path of Jupyter's connection file, got an empty string");
  const notebookDir = start.notebookDir ?? process.cwd();
  const own = packageRoot();
  const imported = importedCheckout(notebookDir);
  if (imported && imported !== own && !start.handedOver) {
    const theirs = path.join(imported, 'dist', 'jupyter', 'kernelMain.js');
    if (fs.existsSync(theirs)) {
      console.error(`nasbook kernel: this notebook imports the nasbook at ${imported}; its kernel serves it`);
      (require(theirs) as { startNasbookKernel: (s: KernelStart) => void }).startNasbookKernel({ ...start, notebookDir, handedOver: true });
      return;
    }
    console.error(`nasbook kernel: the nasbook at ${imported} has no kernel script (run 'npm run build' there); serving it with ${own}'s tslab`);
  }
  const tslabDir = tslabDirOf(imported ?? own);
  serializeShellMessages(tslabDir);
  recordCurrentCell(tslabDir);
  if (!imported) {
    console.error(`nasbook kernel: no node_modules/nasbook above ${notebookDir}; serving the nasbook at ${own}`);
    serveNasbookFrom(tslabDir, own, notebookDir);
  }
  const tslab = require(path.join(tslabDir, 'dist', 'main.js')) as { startKernel: StartKernel };
  const version = (JSON.parse(fs.readFileSync(path.join(tslabDir, 'package.json'), 'utf8')) as { version: string }).version;
  // enableFindLocal: false, because the choice of tslab was made above.
  tslab.startKernel({ configPath: start.configPath, enableFindLocal: false, jsKernel: false, globalVersion: version });
}

if (require.main === module) {
  exitWithParent();
  const i = process.argv.indexOf('--config-path');
  startNasbookKernel({ configPath: i >= 0 ? (process.argv[i + 1] ?? '') : '' });
}
