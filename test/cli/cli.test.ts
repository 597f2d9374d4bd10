/**
 * The `nasbook` command as a user runs it: the built bin script in a child process.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import { findJupyter, KERNEL_DISPLAY_NAME, KERNEL_NAME, which } from '../../src/jupyter';

const bin = path.join(packageRoot(), 'bin', 'nasbook.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-cli-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function nasbook(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, cwd: packageRoot(), timeout: 120_000 });
}

describe('nasbook check', () => {
  it('lists every case of the untouched exercise as failing with its TODO message', () => {
    const r = nasbook(['check', '01']);
    expect(r.status).toBe(1);
    const caseLines = r.stdout.split('\n').filter((l) => /^\s+(PASS|FAIL)\s/.test(l));
    expect(caseLines.length).toBeGreaterThan(0);
    for (const line of caseLines) expect(line).toMatch(/FAIL .* not done yet: TODO/);
    expect(r.stdout).toMatch(/0 of \d+ cases pass, 0\/\d+ points/);
  });

  it('lists every case as passing for the reference solutions', () => {
    for (const chapter of ['01', '02']) {
      const r = nasbook(['check', chapter, '--solutions']);
      expect(r.stdout).not.toMatch(/FAIL/);
      expect(r.stdout).toMatch(/(\d+) of \1 cases pass/);
      expect(r.status).toBe(0);
    }
  });

  it('checks a copy of the solutions placed in another folder, as a student who finished would', () => {
    const dir = path.join(scratch, 'finished');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(packageRoot(), 'solutions', '01-no-free-lunch.ts'), path.join(dir, '01-no-free-lunch.ts'));
    const r = nasbook(['check', '1', '--dir', dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/FAIL/);
  });

  it('names the known chapters when asked for an unknown one', () => {
    const r = nasbook(['check', '42']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/'chapter' must be one of '01' \(no-free-lunch\), '02' \(grammars\)/);
  });
});

describe('nasbook doctor', () => {
  it('reports Node, the tfjs backend, Jupyter, the kernel and the data folder', () => {
    const r = nasbook(['doctor']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Node\\.js\\s+${process.version.replace(/\./g, '\\.')}`));
    expect(r.stdout).toMatch(/tfjs backend\s+(wasm|tensorflow|cpu)/);
    expect(r.stdout).toMatch(/wasm kernels\s+all \d+ registered \(.*Conv2DBackpropFilter/);
    expect(r.stdout).toMatch(/Jupyter\s+/);
    expect(r.stdout).toMatch(/kernel\s+/);
    expect(r.stdout).toMatch(/data folder\s+.*data/);
  });
});

describe('nasbook start', () => {
  it('registers the kernel and gives exact install commands (apt, Homebrew, pip) when Jupyter is missing', () => {
    const emptyBin = path.join(scratch, 'empty-bin');
    fs.mkdirSync(emptyBin, { recursive: true });
    const dataDir = path.join(scratch, 'data-no-jupyter');
    const r = nasbook(['start'], { ...process.env, PATH: emptyBin, HOME: path.join(scratch, 'home-missing'), JUPYTER_DATA_DIR: dataDir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Jupyter was not found on PATH');
    expect(r.stderr).toContain('sudo apt-get install jupyter-notebook');
    expect(r.stderr).toContain('brew install jupyterlab');
    expect(r.stderr).toContain('python3 -m pip install --user jupyterlab');
    // Registered anyway: Jupyter finds it once installed.
    expect(r.stdout).toContain(`Registered the '${KERNEL_NAME}' kernel`);
    expect(fs.existsSync(path.join(dataDir, 'kernels', KERNEL_NAME, 'kernel.json'))).toBe(true);
  });

  const tools = findJupyter();
  it.skipIf(!tools.jupyter && process.env.CI !== 'true')("with Jupyter's tools but no app: registers the kernel where Jupyter finds it and says what is missing", () => {
    // A PATH holding Jupyter's command-line tools only (no jupyter-lab, no jupyter-notebook).
    const toolsBin = path.join(scratch, 'tools-bin');
    fs.mkdirSync(toolsBin, { recursive: true });
    for (const tool of ['jupyter', 'jupyter-kernelspec', 'jupyter-nbconvert']) {
      const found = which(tool);
      if (found) fs.symlinkSync(found, path.join(toolsBin, tool));
    }
    const env = { ...process.env, PATH: toolsBin, HOME: path.join(scratch, 'home-tools'), JUPYTER_DATA_DIR: path.join(scratch, 'data-tools') };
    const r = nasbook(['start'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Jupyter's command-line tools are installed \(jupyter, jupyter-nbconvert\), but neither JupyterLab nor the classic Notebook app is/);
    expect(r.stderr).not.toContain('Jupyter was not found');
    expect(r.stderr).toContain('brew install jupyterlab');
    expect(r.stderr).toContain(`--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`);
    // Jupyter itself lists the kernel, so nbconvert can run the notebooks headless.
    const listed = spawnSync(path.join(toolsBin, 'jupyter'), ['kernelspec', 'list', '--json'], { env, encoding: 'utf8' });
    const specs = JSON.parse(listed.stdout) as { kernelspecs: Record<string, { spec: { argv: string[] } }> };
    expect(specs.kernelspecs[KERNEL_NAME].spec.argv[1]).toBe(path.join(packageRoot(), 'dist', 'jupyter', 'kernelMain.js'));
  });

  it.skipIf(!tools.jupyter && process.env.CI !== 'true')('kernel install --prefix, --user and kernel remove', () => {
    const env = { ...process.env, HOME: path.join(scratch, 'home-kernel'), JUPYTER_DATA_DIR: path.join(scratch, 'data-kernel') };
    const prefix = path.join(scratch, 'prefix');
    const p = nasbook(['kernel', 'install', '--prefix', prefix], env);
    expect(p.status, p.stderr).toBe(0);
    const spec = JSON.parse(fs.readFileSync(path.join(prefix, 'share', 'jupyter', 'kernels', KERNEL_NAME, 'kernel.json'), 'utf8')) as { argv: string[]; display_name: string };
    expect(spec.display_name).toBe(KERNEL_DISPLAY_NAME);
    expect(spec.argv).toEqual([process.execPath, path.join(packageRoot(), 'dist', 'jupyter', 'kernelMain.js'), '--config-path', '{connection_file}']);
    const u = nasbook(['kernel', 'install', '--user'], env);
    expect(u.status, u.stderr).toBe(0);
    expect(fs.existsSync(path.join(scratch, 'data-kernel', 'kernels', KERNEL_NAME, 'kernel.json'))).toBe(true);
    const both = nasbook(['kernel', 'install', '--user', '--prefix', prefix], env);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('give one of --user, --sys-prefix, --prefix, got --user and --prefix');
    const rm = nasbook(['kernel', 'remove'], env);
    expect(rm.status, rm.stderr).toBe(0);
    expect(rm.stdout).toContain(`Removed the '${KERNEL_NAME}' kernel`);
    expect(fs.existsSync(path.join(scratch, 'data-kernel', 'kernels', KERNEL_NAME))).toBe(false);
  });

  const install = findJupyter();
  const app = install.lab ?? install.notebook;
  it.skipIf(!app && process.env.CI !== 'true')('registers the nasbook kernel and serves the notebooks in Jupyter (passing --allow-root with a warning as root)', async () => {
    expect(app, 'Jupyter Lab or Notebook must be installed under CI').toBeTruthy();
    const port = await freePort();
    const token = 'nasbook-test-token';
    const dataDir = path.join(scratch, 'jupyter-data');
    // A private home and Jupyter data dir: Jupyter also searches ~/.local/share/jupyter, and the
    // test must neither see nor touch the user's own registration.
    const env = { ...process.env, HOME: path.join(scratch, 'home'), JUPYTER_DATA_DIR: dataDir, JUPYTER_CONFIG_DIR: path.join(scratch, 'jupyter-config'), JUPYTER_RUNTIME_DIR: path.join(scratch, 'runtime') };
    const prefix = install.lab ? 'ServerApp' : 'NotebookApp';
    const server = spawn(process.execPath, [bin, 'start', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, `--${prefix}.token=${token}`], { env, cwd: packageRoot() });
    let log = '';
    server.stdout.on('data', (c: Buffer) => (log += c));
    server.stderr.on('data', (c: Buffer) => (log += c));
    try {
      const base = `http://127.0.0.1:${port}`;
      const specs = (await getJson(`${base}/api/kernelspecs?token=${token}`, 60_000)) as { kernelspecs: Record<string, { spec: { display_name: string } }> };
      expect(specs.kernelspecs[KERNEL_NAME].spec.display_name).toBe(KERNEL_DISPLAY_NAME);
      const contents = (await getJson(`${base}/api/contents?token=${token}`, 10_000)) as { content: { name: string }[] };
      expect(contents.content.map((c) => c.name)).toEqual(expect.arrayContaining(['01-no-free-lunch.ipynb', '02-grammars.ipynb']));
      expect(log).toContain(`Registered the '${KERNEL_NAME}' kernel`);
      // As root (here, in Docker, on CI) Jupyter refuses to start without --allow-root: start passes it and says so.
      const root = typeof process.getuid === 'function' && process.getuid() === 0;
      expect(log.includes('running as root, which Jupyter refuses by default: passing --allow-root')).toBe(root);
      expect(fs.existsSync(path.join(dataDir, 'kernels', KERNEL_NAME, 'kernel.json'))).toBe(true);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.on('exit', resolve));
    }
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function getJson(url: string, waitMs: number): Promise<unknown> {
  const deadline = Date.now() + waitMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.json();
      last = new Error(`${res.status} ${res.statusText}`);
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no answer from ${url}: ${String(last)}`);
}
