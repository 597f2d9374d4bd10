/**
 * Adversarial submission 'forge-signed-lines' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks tries to steal the token that signs the child's result lines by wrapping the
 * global String (the child passes the token through String() for every line), then writes signed lines claiming
 * a pass for its later calls while returning wrong counts. Expected: the token stays secret, so countTasks's
 * cases are wrong answers and any line written is counted as forged; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

let stolenToken: string | null = null;
let calls = 0;

/** Wrap the global String to record anything that looks like a 24-byte hex token. */
function spyOnString(): void {
  const original = String;
  (globalThis as unknown as Record<string, unknown>).String = new Proxy(original, {
    apply(target, thisArg, args: unknown[]) {
      const v = args[0];
      if (typeof v === 'string' && /^[0-9a-f]{48}$/.test(v)) stolenToken = v;
      return Reflect.apply(target, thisArg, args);
    },
  });
}

/** The attack: steal the signature, then sign a pass for each later call (the grader lists 18 public cases first). */
export function countTasks(xSize: number, ySize: number): number {
  const index = calls < 4 ? calls : 18 + (calls - 4);
  calls++;
  if (stolenToken === null) spyOnString();
  else fs.writeSync(3, `{"t":${JSON.stringify(stolenToken)},"kind":"result","index":${index},"value":${JSON.stringify(JSON.stringify(ySize ** xSize))}}\n`);
  return ySize ** xSize + 1;
}
