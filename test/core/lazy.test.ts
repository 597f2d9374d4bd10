import { describe, expect, it } from 'vitest';
import { lazyModule } from '../../src/core/lazy';

class Shape {}

/** A module stand-in that counts its loads. */
function counted() {
  const state = { loads: 0 };
  const real = { Shape, area: (w: number, h: number) => w * h, unit: 1 };
  const mod = lazyModule(() => {
    state.loads++;
    return real;
  });
  return { state, real, mod };
}

describe('lazyModule', () => {
  it('loads nothing until a property is read, then loads once', () => {
    const { state, mod } = counted();
    expect(state.loads).toBe(0);
    expect(mod.area(2, 3)).toBe(6);
    expect(mod.unit).toBe(1);
    expect(state.loads).toBe(1);
  });

  it("gives back the module's own values: classes work with new and instanceof", () => {
    const { real, mod } = counted();
    expect(mod.Shape).toBe(real.Shape);
    expect(new mod.Shape()).toBeInstanceOf(Shape);
    expect(new Shape() instanceof mod.Shape).toBe(true);
  });

  it("answers 'in' and lists the module's keys", () => {
    const { mod } = counted();
    expect('area' in mod).toBe(true);
    expect('volume' in mod).toBe(false);
    expect(Object.keys(mod).sort()).toEqual(['Shape', 'area', 'unit']);
  });

  it('lists the keys of a module whose exports are fixed getters, as compiled CommonJS modules have', () => {
    const fixed = {};
    Object.defineProperty(fixed, 'x', { enumerable: true, configurable: false, get: () => 7 });
    const mod = lazyModule(() => fixed as { x: number });
    expect(Object.keys(mod)).toEqual(['x']);
    expect({ ...mod }).toEqual({ x: 7 });
  });

  it('throws what the loader throws on first use, and tries again on the next', () => {
    let fail = true;
    const mod = lazyModule(() => {
      if (fail) throw new Error('no such package');
      return { ok: true };
    });
    expect(() => mod.ok).toThrow('no such package');
    fail = false;
    expect(mod.ok).toBe(true);
  });

  it("rejects a loader that is not a function, naming 'load'", () => {
    expect(() => lazyModule('@tensorflow/tfjs' as unknown as () => object)).toThrow(/lazyModule: 'load' must be a function/);
  });
});
