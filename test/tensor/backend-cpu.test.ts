import { describe, it, expect, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, init } from '../../src/tensor/backend';

// A separate file, hence a fresh process: here the first init call asks for the cpu engine.
describe('init({ prefer: "cpu" })', () => {
  it('uses the cpu backend, says it is slow for training, and then sticks to it', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    try {
      const result = await init({ prefer: 'cpu' });
      expect(result).toEqual({ backend: 'cpu', native: false });
      expect(tf.getBackend()).toBe('cpu');
      expect(backendInfo()).toBe(result);
      expect(info).toHaveBeenCalledWith("nasbook: tfjs engine 'cpu' (plain JavaScript: fine for small tensors, slow for training)");
      // A call without preference accepts the engine already chosen; asking for wasm now is an error.
      expect(await init()).toBe(result);
      await expect(init({ prefer: 'wasm' })).rejects.toThrow("init: the tfjs engine is already 'cpu'");
    } finally {
      info.mockRestore();
    }
  });
});
