import { describe, it, expect, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';

// Point the wasm loader at a folder without the binaries, so the wasm backend really fails to start.
vi.mock('@tensorflow/tfjs-backend-wasm', async (importOriginal) => {
  const original = await importOriginal<typeof import('@tensorflow/tfjs-backend-wasm')>();
  return { ...original, setWasmPaths: () => original.setWasmPaths('/nonexistent-nasbook-wasm/') };
});

describe('init when wasm cannot start', () => {
  it('falls back to the cpu backend with a warning that training will be slow', async () => {
    const { init } = await import('../../src/tensor/backend');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    try {
      const result = await init();
      expect(result).toEqual({ backend: 'cpu', native: false });
      expect(tf.getBackend()).toBe('cpu');
      const messages = warn.mock.calls.map((c) => String(c[0]));
      expect(messages.some((m) => m.startsWith('nasbook: the tfjs wasm backend failed to initialise') && m.includes('training will be slow'))).toBe(true);
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
  });
});
