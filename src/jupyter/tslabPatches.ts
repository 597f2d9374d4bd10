/**
 * Two changes to tslab, made when nasbook's kernel starts (tslab is a dependency we do not fork):
 *
 * - **Busy means busy.** tslab handles each shell message as it arrives, so with several cells
 *   queued (Run All) every `busy` is published at once and the first cell's `idle` arrives while
 *   the second still runs: the notebook's indicator says idle during a long computation. Jupyter's
 *   protocol, and ipykernel, handle shell messages one at a time: busy, reply, idle, then the next.
 * - **nasbook anywhere.** A notebook outside any checkout (a scratch folder) has no
 *   `node_modules/nasbook` above it. The kernel then shows it the library it was registered from,
 *   both to tslab's TypeScript (type checking) and to Node (at run time), the way tslab itself
 *   shows `tslab` to every notebook.
 * - **Which cell runs.** The kernel records the code (and, where the front end sends it, the cell
 *   id) of the cell being executed, so that `show` knows when the cell whose output carries
 *   plotly.js runs again (viz/notebook.ts).
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { CURRENT_CELL, type CellRun } from './cell';

interface ShellServer {
  shell: unknown;
  handleShellMessage(sock: unknown, ...frames: unknown[]): Promise<void>;
}

const queues = new WeakMap<object, Promise<void>>();

/**
 * Make tslab's server handle shell messages one after another (control messages stay immediate).
 * @param tslabDir the folder of the tslab package whose server will run
 * @throws Error if that tslab has no `ZmqServer.prototype.handleShellMessage` (an unknown version)
 */
export function serializeShellMessages(tslabDir: string): void {
  const jupyter = require(path.join(tslabDir, 'dist', 'jupyter.js')) as { ZmqServer?: { prototype: ShellServer } };
  const proto = jupyter.ZmqServer?.prototype;
  if (!proto || typeof proto.handleShellMessage !== 'function') {
    throw new Error(`serializeShellMessages: tslab at ${tslabDir} has no ZmqServer.handleShellMessage; nasbook supports tslab 1.0`);
  }
  if ((proto.handleShellMessage as { nasbookSerialized?: boolean }).nasbookSerialized) return;
  const original = proto.handleShellMessage;
  const serialized = function (this: ShellServer, sock: unknown, ...frames: unknown[]): Promise<void> {
    if (sock !== this.shell) return original.call(this, sock, ...frames);
    const previous = queues.get(this) ?? Promise.resolve();
    // A failure is logged by tslab itself; it must not stop the messages queued behind it.
    const next = previous.then(() => original.call(this, sock, ...frames)).catch(() => undefined);
    queues.set(this, next);
    return next;
  };
  proto.handleShellMessage = Object.assign(serialized, { nasbookSerialized: true });
}

interface ExecuteHandler {
  handleExecuteImpl(req: { code?: unknown; nasbookCellId?: unknown }, ...rest: unknown[]): Promise<unknown>;
}
interface ExecuteServer {
  handleExecute(sock: unknown, msg: { content: Record<string, unknown>; metadata?: { cellId?: unknown } }): Promise<void>;
}

/**
 * Record each executed cell in `globalThis[CURRENT_CELL]` while it runs.
 * @param tslabDir the folder of the tslab package whose server will run
 * @throws Error if that tslab lacks the methods patched (an unknown version)
 */
export function recordCurrentCell(tslabDir: string): void {
  const jupyter = require(path.join(tslabDir, 'dist', 'jupyter.js')) as {
    ZmqServer?: { prototype: ExecuteServer };
    JupyterHandlerImpl?: { prototype: ExecuteHandler };
  };
  const server = jupyter.ZmqServer?.prototype;
  const handler = jupyter.JupyterHandlerImpl?.prototype;
  if (!server || !handler || typeof server.handleExecute !== 'function' || typeof handler.handleExecuteImpl !== 'function') {
    throw new Error(`recordCurrentCell: tslab at ${tslabDir} has no handleExecute/handleExecuteImpl; nasbook supports tslab 1.0`);
  }
  if ((handler.handleExecuteImpl as { nasbookRecorded?: boolean }).nasbookRecorded) return;
  const onArrival = server.handleExecute;
  server.handleExecute = function (this: ExecuteServer, sock, msg) {
    // The cell id travels in the request's metadata, which tslab does not pass on: carry it in the content.
    const cellId = msg.metadata?.cellId;
    if (typeof cellId === 'string') msg.content.nasbookCellId = cellId;
    return onArrival.call(this, sock, msg);
  };
  const execute = handler.handleExecuteImpl;
  let runs = 0;
  const recorded = function (this: ExecuteHandler, req: { code?: unknown; nasbookCellId?: unknown }, ...rest: unknown[]) {
    const cell: CellRun = { code: typeof req.code === 'string' ? req.code : '', run: ++runs };
    if (typeof req.nasbookCellId === 'string') cell.cellId = req.nasbookCellId;
    (globalThis as Record<symbol, unknown>)[CURRENT_CELL] = cell;
    return execute.call(this, req, ...rest);
  };
  handler.handleExecuteImpl = Object.assign(recorded, { nasbookRecorded: true });
}

interface TypeScriptSys {
  fileExists(p: string): boolean;
  directoryExists(p: string): boolean;
  readFile(p: string, encoding?: string): string | undefined;
  realpath?(p: string): string;
  readDirectory(p: string, ...rest: unknown[]): string[];
  getDirectories(p: string): string[];
}

/**
 * Let a notebook in `notebookDir` import the nasbook package at `root` although no
 * `node_modules/nasbook` is visible from there: tslab's TypeScript sees `<notebookDir>/node_modules/nasbook`
 * as `root`, and Node resolves `nasbook` (and `nasbook/...`) to `root`.
 * @param tslabDir the tslab package that compiles the cells (its TypeScript is patched)
 * @param root the nasbook package root to serve
 * @param notebookDir the kernel's working directory
 */
export function serveNasbookFrom(tslabDir: string, root: string, notebookDir: string): void {
  const tsPath = require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] });
  const sys = (require(tsPath) as { sys: TypeScriptSys }).sys;
  // TypeScript hands paths around with forward slashes.
  const virtual = path.join(notebookDir, 'node_modules', 'nasbook').replace(/\\/g, '/');
  const forward = (p: string): string => {
    const rel = path.relative(virtual, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? p : path.join(root, rel);
  };
  const { fileExists, directoryExists, readFile, realpath, readDirectory, getDirectories } = sys;
  sys.fileExists = (p) => fileExists.call(sys, forward(p));
  sys.directoryExists = (p) => directoryExists.call(sys, forward(p));
  sys.readFile = (p, encoding) => readFile.call(sys, forward(p), encoding);
  sys.readDirectory = (p, ...rest) => readDirectory.call(sys, forward(p), ...rest);
  sys.getDirectories = (p) => getDirectories.call(sys, forward(p));
  if (realpath) sys.realpath = (p) => realpath.call(sys, forward(p));

  const internals = Module as unknown as { _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string };
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]): string {
    if (request === 'nasbook' || request.startsWith('nasbook/')) {
      try {
        return resolve.call(this, request, parent, ...rest);
      } catch {
        return resolve.call(this, path.join(root, request.slice('nasbook'.length)), parent, ...rest);
      }
    }
    return resolve.call(this, request, parent, ...rest);
  };
  if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
    console.error(`nasbook kernel: ${root}/dist is missing; run 'npm run build' there`);
  }
}
