/**
 * Modules loaded on first use. tfjs takes about 0.3 s of processor time to load, and the grader
 * starts a process per chapter and student, loading the library files a chapter's code imports
 * or forbids (src/grading/library.ts): a library file that imports tfjs at its top makes every one
 * of those processes pay for it, though most never build a tensor. A file that needs tfjs only
 * inside its functions reads it through `lazyModule` instead, and keeps the types with a type-only
 * import, which TypeScript erases:
 *
 *     import type * as TF from '@tensorflow/tfjs';
 *     const tf = lazyModule((): typeof TF => require('@tensorflow/tfjs'));
 *
 * The loader is a closure so that `require` resolves from the calling file. Only packages belong
 * here: a file of this library is imported as usual (under vitest, `require` sees no TypeScript).
 */
import { checkFunction } from './checks';

/**
 * A stand-in for a module that loads it on the first property read (`tf.tidy`, `tf.Tensor`, ...)
 * and forwards every read to it from then on; the module's own values come back unchanged, so
 * classes, `instanceof` and functions behave as with a plain import.
 * @param load returns the module, e.g. `() => require('@tensorflow/tfjs')`; called once, on first use
 * @throws TypeError naming 'load' if it is not a function; on first use, whatever `load` throws
 * @example const tf = lazyModule((): typeof TF => require('@tensorflow/tfjs')); // nothing loaded yet
 * tf.tidy(() => tf.ones([2]).sum()) // loads tfjs here
 */
export function lazyModule<T extends object>(load: () => T): T {
  checkFunction('load', load, 'lazyModule');
  let loaded: T | undefined;
  const loadOnce = (): T => (loaded ??= load());
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(loadOnce(), key),
    has: (_, key) => Reflect.has(loadOnce(), key),
    ownKeys: () => Reflect.ownKeys(loadOnce()),
    // Reported configurable: a proxy may not claim a fixed property its (empty) target lacks.
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(loadOnce(), key);
      return d && { ...d, configurable: true };
    },
  });
}
