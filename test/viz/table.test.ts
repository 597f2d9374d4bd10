import * as dfd from 'danfojs-node';
import { describe, expect, it } from 'vitest';
import { escapeHtml, formatCell, isDataFrameLike, tableHtml, tableText, toTableData } from '../../src/viz/table';

/** The text of every <th> and <td>, in order (the tests look at content, not at styles). */
function cellTexts(html: string, tag: 'th' | 'td'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>(.*?)</${tag}>`, 'g'))].map((m) => m[1]);
}

describe('formatCell', () => {
  it('writes integers as they are and other numbers with the given decimals', () => {
    expect(formatCell(1728)).toBe('1728');
    expect(formatCell(Math.PI)).toBe('3.1416');
    expect(formatCell(Math.PI, 2)).toBe('3.14');
    expect(formatCell(0.5, 0)).toBe('1'); // toFixed rounds half away from zero here
    expect(formatCell(2, 3, true)).toBe('2.000');
    expect(formatCell(-0)).toBe('0');
    expect(formatCell(1.5e-7, 4)).toBe('1.500e-7');
    expect(formatCell(2.5e20, 3)).toBe('2.50e+20');
    expect(formatCell(NaN)).toBe('NaN');
    expect(formatCell(null)).toBe('');
    expect(formatCell(undefined)).toBe('');
    expect(formatCell(true)).toBe('true');
    expect(formatCell([1, 2])).toBe('[1,2]');
  });
});

describe('toTableData', () => {
  it('takes columns in order of first appearance and leaves missing cells empty', () => {
    expect(toTableData([{ a: 1, b: 2 }, { c: 3, a: 4 }])).toEqual({
      columns: ['a', 'b', 'c'],
      rows: [[1, 2, undefined], [4, undefined, 3]],
    });
  });

  it('names the argument for values that are not tables', () => {
    expect(() => toTableData('x', 'showTable')).toThrow("showTable: 'rows' must be an array of objects or a DataFrame (columns + values), got \"x\"");
    expect(() => toTableData([{ a: 1 }, 5], 'showTable')).toThrow("showTable: 'rows[1]' must be an object, got 5");
    expect(() => toTableData({ columns: ['a', 'b'], values: [[1]] }, 'showTable')).toThrow(
      "showTable: 'rows' looks like a DataFrame but row 0 is [1], expected 2 values",
    );
  });
});

describe('tableHtml', () => {
  it('escapes every piece of text: caption, headers and cells', () => {
    const html = tableHtml([{ '<op>': 'a & "b"', "it's": '<script>alert(1)</script>' }], { caption: '<b>caption</b>' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b&gt;caption&lt;/b&gt;</caption>');
    expect(cellTexts(html, 'th')).toEqual(['&lt;op&gt;', 'it&#39;s']);
    expect(cellTexts(html, 'td')).toEqual(['a &amp; &quot;b&quot;', '&lt;script&gt;alert(1)&lt;/script&gt;']);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('formats numbers to `digits`, aligning a column that mixes integers and fractions', () => {
    const html = tableHtml([{ acc: 0.912345, params: 1728 }, { acc: 1, params: 0 }], { digits: 2 });
    expect(cellTexts(html, 'td')).toEqual(['0.91', '1728', '1.00', '0']);
    expect(html).toMatch(/<th style="[^"]*text-align:right;">acc<\/th>/);
    expect(cellTexts(tableHtml([]), 'td')).toEqual(['(no rows)']);
  });

  it('keeps its style attributes well-formed (no double quote inside them)', () => {
    const html = tableHtml([{ a: 1 }], { caption: 'c' });
    for (const m of html.matchAll(/style="([^"]*)"/g)) expect(m[1]).not.toContain('"');
    expect(html.startsWith('<table class="nasbook-table" style="')).toBe(true);
  });

  it('validates its options', () => {
    expect(() => tableHtml([{ a: 1 }], { digits: 1.5 })).toThrow("tableHtml: 'opts.digits' must be an integer >= 0 and <= 15, got 1.5");
    expect(() => tableHtml([{ a: 1 }], { digits: 16 })).toThrow(RangeError);
    expect(() => tableHtml([{ a: 1 }], { caption: 7 as unknown as string })).toThrow("tableHtml: 'opts.caption' must be a string, got 7");
  });

  it('reads a real danfojs DataFrame by its shape, showing a non-default index', () => {
    const df = new dfd.DataFrame({ op: ['conv <3x3>', 'skip'], acc: [0.912345, 0.5] });
    expect(isDataFrameLike(df)).toBe(true);
    const html = tableHtml(df, { caption: 'ops', digits: 3 });
    expect(cellTexts(html, 'th')).toEqual(['op', 'acc']);
    expect(cellTexts(html, 'td')).toEqual(['conv &lt;3x3&gt;', '0.912', 'skip', '0.500']);

    const indexed = new dfd.DataFrame({ acc: [0.25, 0.75] }, { index: ['r1', 'r2'] });
    expect(toTableData(indexed)).toEqual({ columns: ['', 'acc'], rows: [['r1', 0.25], ['r2', 0.75]] });

    const series = df['acc'] as dfd.Series;
    expect(toTableData(series)).toEqual({ columns: ['acc'], rows: [[0.912345], [0.5]] });
  });

  it('does not mistake plain arrays or objects for DataFrames', () => {
    expect(isDataFrameLike([{ columns: [], values: [] }])).toBe(false);
    expect(isDataFrameLike({ columns: [1], values: [] })).toBe(false);
    expect(isDataFrameLike({ values: [] })).toBe(false);
  });
});

describe('tableText', () => {
  it('aligns columns: numbers to the right, text to the left, caption on top', () => {
    const text = tableText([{ name: 'conv', acc: 0.5 }, { name: 'pool-long', acc: 10.25 }], { caption: 'Ops', digits: 2 });
    expect(text).toBe(['Ops', 'name         acc', '---------  -----', 'conv        0.50', 'pool-long  10.25'].join('\n'));
    expect(tableText([])).toBe('(no rows)');
    expect(tableText([], { caption: 'none' })).toBe('none\n(no rows)');
  });
});
