import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { fitSurveyModel, macsBaseline, surveyPredictions } from '../../../src/estimation/latency/analysis';
import { loadLatencySurvey, readSurveyShard, runLatencySurvey, surveyOperations, surveyTasks, type LatencySurveySettings } from '../../../src/estimation/latency/survey';
import { latencyAgreement } from '../../../src/estimation/latency/validate';
import { init } from '../../../src/tensor/backend';

const settings: LatencySurveySettings = {
  version: 1,
  inputShape: [8, 8, 1],
  numClasses: 10,
  network: { channels: 4, cellsPerStage: 1, stages: 2 },
  cells: ['|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|', '|skip~0|+|none~0|skip~1|+|none~0|none~1|skip~2|', '|conv1x1~0|+|conv3x3~0|avgpool3x3~1|+|conv3x3~0|none~1|skip~2|'],
  batches: [2],
  warmup: 0,
  repeats: 2,
  seed: 'test-survey',
};

beforeAll(async () => {
  await init({ quiet: true });
});

describe('the latency survey', () => {
  it('covers every operation kind of a network, at several shapes each', () => {
    const kinds = new Map<string, number>();
    for (const op of surveyOperations(10)) kinds.set(op.op, (kinds.get(op.op) ?? 0) + 1);
    expect([...kinds.keys()].sort()).toEqual(['add', 'avgpool3x3', 'conv1x1', 'conv3x3', 'dense', 'head', 'reduction', 'skip', 'stem', 'zero']);
    for (const count of kinds.values()) expect(count).toBeGreaterThanOrEqual(3);
    const tasks = surveyTasks(settings);
    expect(tasks.filter((t) => t.kind === 'network')).toHaveLength(3);
    expect(new Set(tasks.map((t) => t.key)).size).toBe(tasks.length);
  });
  it('runs in shards, resumes where it stopped, and loads back as one survey that the model is fitted to', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-survey-'));
    const total = surveyTasks(settings).length;
    const first = path.join(dir, 'survey-1-of-2.jsonl');
    const part = runLatencySurvey({ settings, out: first, shard: { index: 1, count: 2 }, limit: 5 });
    expect(part).toEqual({ total: Math.ceil(total / 2), before: 0, ran: 5 });
    // A run killed mid-write leaves a torn line; it is ignored and that task runs again.
    fs.appendFileSync(first, '{"kind":"op","key":"torn');
    const rest = runLatencySurvey({ settings, out: first, shard: { index: 1, count: 2 } });
    expect(rest.before).toBe(5);
    expect(rest.before + rest.ran).toBe(rest.total);
    runLatencySurvey({ settings, out: path.join(dir, 'survey-2-of-2.jsonl'), shard: { index: 2, count: 2 } });
    const survey = loadLatencySurvey(dir);
    expect(survey.ops.length + survey.networks.length).toBe(total);
    expect(survey.machines).toHaveLength(2);
    expect(survey.machines[0].cores).toBeGreaterThan(0);
    const fitted = fitSurveyModel(survey, 2, 'min');
    expect(Object.keys(fitted.model.perOp)).toContain('conv3x3');
    const rows = surveyPredictions(survey, fitted);
    expect(rows.map((r) => r.cell).sort()).toEqual([...settings.cells].sort());
    for (const r of rows) expect(r.depthMaxMs).toBeLessThanOrEqual(r.sumMs + 1e-12);
    expect(() => runLatencySurvey({ settings: { ...settings, repeats: 3 }, out: first, shard: { index: 1, count: 2 } })).toThrow(/was made with other settings/);
    expect(() => fitSurveyModel(survey, 64)).toThrow("fitSurveyModel: 'batch' must be one of the survey's batches 2, got 64");
    expect(readSurveyShard(first).records.length).toBe(rest.total);
  });
});

describe('latencyAgreement and the MACs baseline', () => {
  it('perfect predictions: r = ρ = 1, MAPE 0, all within ±10%; a 20% overestimate: none within', () => {
    const measured = [1, 2, 3, 4, 5, 6, 7, 8];
    const exact = latencyAgreement(measured, measured, { rng: createRng(0), resamples: 100 });
    expect(exact.pearson.estimate).toBeCloseTo(1, 12);
    expect(exact.spearman.estimate).toBeCloseTo(1, 12);
    expect(exact.mape).toBe(0);
    expect(exact.within.estimate).toBe(1);
    const over = latencyAgreement(measured.map((m) => 1.2 * m), measured, { rng: createRng(0), resamples: 100 });
    expect(over.mape).toBeCloseTo(0.2, 12);
    expect(over.within.estimate).toBe(0);
    expect(over.spearman.estimate).toBeCloseTo(1, 12);
  });
  it('the MACs baseline is exact when latency is a line in MACs, and predicts each half from the other', () => {
    const macs = [10, 20, 30, 40, 50, 60, 70, 80];
    const pred = macsBaseline(macs, macs.map((m) => 0.5 + 0.01 * m), createRng(1));
    pred.forEach((p, i) => expect(p).toBeCloseTo(0.5 + 0.01 * macs[i], 9));
  });
  it('rejects mismatched lengths, a zero measurement, and too few networks', () => {
    expect(() => latencyAgreement([1, 2, 3, 4], [1, 2, 3], { rng: createRng(0) })).toThrow("latencyAgreement: 'predicted' and 'measured' must have the same length, got 4 and 3");
    expect(() => latencyAgreement([1, 2, 3], [1, 0, 3], { rng: createRng(0) })).toThrow("latencyAgreement: 'measured[1]' must be a number > 0, got 0");
    expect(() => macsBaseline([1, 2], [1, 2], createRng(0))).toThrow(/at least 6/);
  });
});
