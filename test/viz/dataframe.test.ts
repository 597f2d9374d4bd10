import { describe, expect, it } from 'vitest';
import { dataFrame } from '../../src/viz/dataframe';
import { tableText } from '../../src/viz/table';

describe('dataFrame', () => {
  it('makes a danfojs DataFrame of rows that the table renderer shows like the rows', () => {
    const rows = [{ op: 'conv3x3', a: 1.5 }, { op: 'skip', a: 0 }];
    const df = dataFrame(rows);
    expect(df.columns).toEqual(['op', 'a']);
    expect(df.values).toEqual([['conv3x3', 1.5], ['skip', 0]]);
    expect(tableText(df)).toBe(tableText(rows));
  }, 120_000);
  it('rejects an empty list and a row that is not an object', () => {
    expect(() => dataFrame([])).toThrow("dataFrame: 'rows' must have at least 1 item, got an empty array");
    expect(() => dataFrame([3 as never])).toThrow("dataFrame: 'rows[0]' must be an object, got 3");
  });
});
