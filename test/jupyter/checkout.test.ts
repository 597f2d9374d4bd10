import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import { importedCheckout } from '../../src/jupyter';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-checkout-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('importedCheckout', () => {
  it('finds the checkout a notebook folder imports, through its node_modules/nasbook link', () => {
    expect(importedCheckout(path.join(packageRoot(), 'notebooks'))).toBe(packageRoot());
    expect(importedCheckout(packageRoot())).toBe(packageRoot());
  });

  it('finds none from a folder outside every checkout, nor from a node_modules/nasbook that is another package', () => {
    expect(importedCheckout(scratch)).toBeNull();
    const fake = path.join(scratch, 'project');
    fs.mkdirSync(path.join(fake, 'node_modules', 'nasbook'), { recursive: true });
    fs.writeFileSync(path.join(fake, 'node_modules', 'nasbook', 'package.json'), '{"name":"not-nasbook"}');
    expect(importedCheckout(path.join(fake, 'deep', 'er'))).toBeNull();
  });
});
