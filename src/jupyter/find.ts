/**
 * Finding Jupyter on this machine. Jupyter is a Python program installed outside npm (Debian's
 * packages, pip, conda); nasbook only looks for its commands on PATH and never installs it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The absolute path of `command` on PATH, or null. */
export function which(command: string, searchPath = process.env.PATH ?? ''): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export interface JupyterInstall {
  /** The `jupyter` command. */
  jupyter: string | null;
  /** `jupyter-lab`, preferred by `npm start` when present. */
  lab: string | null;
  /** `jupyter-notebook` (classic Notebook or Notebook 7). */
  notebook: string | null;
  /** `jupyter-nbconvert`, used by the tests to execute notebooks. */
  nbconvert: string | null;
}

/** Which Jupyter commands are installed. */
export function findJupyter(): JupyterInstall {
  return {
    jupyter: which('jupyter'),
    lab: which('jupyter-lab'),
    notebook: which('jupyter-notebook'),
    nbconvert: which('jupyter-nbconvert'),
  };
}

/** The commands that install Jupyter (Lab, which brings the Notebook tools), one line per system. */
export const INSTALL_JUPYTER_COMMANDS = [
  '  Debian/Ubuntu:    sudo apt-get install jupyter-notebook jupyter-nbconvert python3-ipykernel',
  '  macOS (Homebrew): brew install jupyterlab',
  '  any system (pip): python3 -m pip install --user jupyterlab   (then make sure ~/.local/bin is on PATH)',
].join('\n');

/** How to install what is missing, as exact commands. */
export const INSTALL_JUPYTER_HINT = ['Jupyter was not found on PATH. Install it, then run the command again:', INSTALL_JUPYTER_COMMANDS].join('\n');

/**
 * What is missing for `nasbook start`, in words and commands, or null when an app is there.
 * @example missingJupyterApp({ jupyter: '/usr/bin/jupyter', lab: null, notebook: null, nbconvert: '/usr/bin/jupyter-nbconvert' })
 */
export function missingJupyterApp(install: JupyterInstall): string | null {
  if (install.lab || install.notebook) return null;
  if (!install.jupyter) return INSTALL_JUPYTER_HINT;
  const tools = [install.jupyter, install.nbconvert].filter(Boolean).map((t) => path.basename(t!)).join(', ');
  return [
    `Jupyter's command-line tools are installed (${tools}), but neither JupyterLab nor the classic Notebook app is.`,
    'To open the notebooks in a browser, install one, then run the command again:',
    INSTALL_JUPYTER_COMMANDS,
  ].join('\n');
}

/** Jupyter's per-user data folder (where user kernels live), asking Jupyter itself when it can. */
export function jupyterDataDir(install: JupyterInstall = findJupyter()): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (install.jupyter) {
    const r = spawnSync(install.jupyter, ['--data-dir'], { encoding: 'utf8' });
    const dir = r.status === 0 ? r.stdout.trim().split('\n').pop() : '';
    if (dir) return dir;
  }
  const home = process.env.HOME ?? process.env.USERPROFILE ?? '.';
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Jupyter');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? home, 'jupyter');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'jupyter');
}
