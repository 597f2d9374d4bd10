/**
 * Chapter 01, No Free Lunch: the graded cases. Public expected values were counted by hand (the
 * chapter's notebook and test/nfl/ots.test.ts reproduce them with the library); hidden cases
 * draw small spaces, tasks and training sets from the instructor's seed.
 */
import type { Rng } from '../../core/rng';
import { enumerateTasks, smoothTasks } from '../../nfl';
import type { CaseInput, ChapterCases } from '../types';

const allTasks = (xSize: number, ySize: number): number[][] => [...enumerateTasks(xSize, ySize)];

/** The 8 tasks on 4 inputs with 2 labels whose label changes at most once along the line. */
const SMOOTH_4_2 = [
  [0, 0, 0, 0],
  [1, 1, 1, 1],
  [0, 1, 1, 1],
  [1, 0, 0, 0],
  [0, 0, 1, 1],
  [1, 1, 0, 0],
  [0, 0, 0, 1],
  [1, 1, 1, 0],
];

const cheapLearners = ['constant', 'majority', 'nearest', 'lookup'] as const;

function hiddenInputs(rng: Rng): CaseInput[] {
  const out: CaseInput[] = [];
  for (let i = 0; i < 3; i++) {
    const n = rng.int(0, 11);
    const k = rng.int(1, 7);
    out.push({ name: `hidden countTasks #${i + 1}`, fn: 'countTasks', args: [n, k], points: 1 });
  }
  for (let i = 0; i < 4; i++) {
    const n = rng.int(1, 13);
    const k = rng.int(2, 5);
    const inputs = rng.sample(Array.from({ length: n }, (_, x) => x), rng.int(0, Math.min(n, 5) + 1));
    const labels = inputs.map(() => rng.int(0, k));
    out.push({ name: `hidden nearestNeighbourPredict #${i + 1}`, fn: 'nearestNeighbourPredict', args: [n, inputs, labels], points: 2 });
  }
  for (let i = 0; i < 4; i++) {
    const n = rng.int(2, 7);
    const k = rng.int(2, 4);
    const task = Array.from({ length: n }, () => rng.int(0, k));
    out.push({
      name: `hidden otsCountsOnTask #${i + 1}`,
      fn: 'otsCountsOnTask',
      args: [rng.choice(cheapLearners), task, k, rng.int(0, n)],
      points: 2,
    });
  }
  for (let i = 0; i < 4; i++) {
    const n = rng.int(2, 5);
    const k = rng.int(2, 4);
    // Half the families are all tasks (the No Free Lunch average), half are smooth ones.
    const tasks = i % 2 === 0 ? allTasks(n, k) : [...smoothTasks(rng.int(0, 3)).enumerate({ xSize: n, ySize: k })];
    out.push({
      name: `hidden familyOtsCounts #${i + 1}`,
      fn: 'familyOtsCounts',
      args: [rng.choice(cheapLearners), tasks, k, rng.int(0, n)],
      points: 2,
    });
  }
  return out;
}

export const cases: ChapterCases = {
  chapter: '01',
  slug: 'no-free-lunch',
  functions: ['countTasks', 'nearestNeighbourPredict', 'otsCountsOnTask', 'familyOtsCounts'],
  publicCases: [
    {
      name: 'countTasks(|X|=3, |Y|=2)',
      fn: 'countTasks',
      args: [3, 2],
      expected: 8,
      points: 1,
      hint: 'Write the 8 label vectors of length 3 over {0, 1}: 000, 001, ..., 111. Each input has |Y| choices, made independently.',
    },
    {
      name: 'countTasks(|X|=4, |Y|=3)',
      fn: 'countTasks',
      args: [4, 3],
      expected: 81,
      points: 1,
      hint: 'Four inputs, three choices each: the choices multiply, 3·3·3·3. The count is |Y| to the power |X|, not |X| to the power |Y|.',
    },
    {
      name: 'countTasks(|X|=0, |Y|=5)',
      fn: 'countTasks',
      args: [0, 5],
      expected: 1,
      points: 1,
      hint: 'With no inputs there is exactly one function, the empty one: |Y|^0 = 1.',
    },
    {
      name: 'countTasks(|X|=20, |Y|=2)',
      fn: 'countTasks',
      args: [20, 2],
      expected: 1048576,
      points: 1,
      hint: '2^20 = 1,048,576 tasks on only 20 inputs: the space of tasks grows exponentially with |X|.',
    },
    {
      name: 'nearestNeighbourPredict: a tie goes left',
      fn: 'nearestNeighbourPredict',
      args: [5, [0, 4], [0, 1]],
      expected: [0, 0, 0, 1, 1],
      points: 2,
      hint: 'x = 2 is at distance 2 from both training inputs 0 and 4; the smaller input (0) wins, so h(2) = 0.',
    },
    {
      name: 'nearestNeighbourPredict: inputs in any order',
      fn: 'nearestNeighbourPredict',
      args: [7, [5, 1], [2, 0]],
      expected: [0, 0, 0, 0, 2, 2, 2],
      points: 2,
      hint: 'Input 5 has label 2 and input 1 has label 0. x = 3 is a tie (distance 2 from both): the smaller input, 1, wins. Do not assume the inputs are sorted.',
    },
    {
      name: 'nearestNeighbourPredict: one training point',
      fn: 'nearestNeighbourPredict',
      args: [6, [2], [1]],
      expected: [1, 1, 1, 1, 1, 1],
      points: 2,
      hint: 'With a single training input it is the nearest one for every x: its label spreads over the whole line.',
    },
    {
      name: 'nearestNeighbourPredict: no training data',
      fn: 'nearestNeighbourPredict',
      args: [4, [], []],
      expected: [0, 0, 0, 0],
      points: 2,
      hint: 'No training inputs: return label 0 for every x (and return an array of length xSize).',
    },
    {
      name: "otsCountsOnTask('majority', [0,0,1], m=1)",
      fn: 'otsCountsOnTask',
      args: ['majority', [0, 0, 1], 2, 1],
      expected: { correct: 2, total: 6 },
      points: 2,
      hint: 'Three training sets {0}, {1}, {2}, each leaving two inputs out: total 6. Trained on {0} (label 0) majority says 0 everywhere: right at x*=1, wrong at x*=2; {1} likewise; {2} (label 1): wrong at both.',
    },
    {
      name: "otsCountsOnTask('nearest', [0,0,1,1], m=2)",
      fn: 'otsCountsOnTask',
      args: ['nearest', [0, 0, 1, 1], 2, 2],
      expected: { correct: 7, total: 12 },
      points: 2,
      hint: 'C(4,2) = 6 training sets, 2 inputs left out each: total 12. Count only x* outside S; a prediction at a training input does not count.',
    },
    {
      name: "otsCountsOnTask('nearest', [0,1,0,1], m=2)",
      fn: 'otsCountsOnTask',
      args: ['nearest', [0, 1, 0, 1], 2, 2],
      expected: { correct: 2, total: 12 },
      points: 2,
      hint: 'On this alternating task neighbours disagree, so copying a neighbour is usually wrong: 1-NN is right only 2 times in 12, worse than guessing. It won 7 of 12 on [0,0,1,1].',
    },
    {
      name: "otsCountsOnTask('lookup', [0,1,1,0], m=2)",
      fn: 'otsCountsOnTask',
      args: ['lookup', [0, 1, 1, 0], 2, 2],
      expected: { correct: 6, total: 12 },
      points: 2,
      hint: 'Off the training set lookup always answers its default 0. It is right at x* = 0 and x* = 3 (label 0), and each is left out by 3 of the 6 training sets.',
    },
    {
      name: "otsCountsOnTask('constant', [1,1,1], m=1)",
      fn: 'otsCountsOnTask',
      args: ['constant', [1, 1, 1], 2, 1],
      expected: { correct: 0, total: 6 },
      points: 2,
      hint: "'constant' always says 0, and this task is all 1s: never right. Build the learner from its name and train it on each training set, as the exercise file describes.",
    },
    {
      name: "familyOtsCounts('nearest', all tasks |X|=3, |Y|=2, m=1)",
      fn: 'familyOtsCounts',
      args: ['nearest', allTasks(3, 2), 2, 1],
      expected: { correct: 24, total: 48 },
      points: 2,
      hint: '8 tasks x 3 training sets x 2 left-out inputs = 48 predictions, and exactly half are right: over all tasks, any learner scores 1/|Y|.',
    },
    {
      name: "familyOtsCounts('majority', all tasks |X|=4, |Y|=2, m=2)",
      fn: 'familyOtsCounts',
      args: ['majority', allTasks(4, 2), 2, 2],
      expected: { correct: 96, total: 192 },
      points: 2,
      hint: '16 tasks x 6 training sets x 2 left-out inputs = 192. For a fixed training set, the unseen label f(x*) takes each value in Y equally often across the tasks, so exactly 1/|Y| of the predictions are right.',
    },
    {
      name: "familyOtsCounts('lookup', all tasks |X|=2, |Y|=3, m=1)",
      fn: 'familyOtsCounts',
      args: ['lookup', allTasks(2, 3), 3, 1],
      expected: { correct: 6, total: 18 },
      points: 2,
      hint: '9 tasks x 2 training sets x 1 left-out input = 18; a third of them are right: 1/|Y| with |Y| = 3.',
    },
    {
      name: "familyOtsCounts('nearest', smooth tasks |X|=4, m=2)",
      fn: 'familyOtsCounts',
      args: ['nearest', SMOOTH_4_2, 2, 2],
      expected: { correct: 68, total: 96 },
      points: 2,
      hint: 'Only the 8 tasks whose label changes at most once. 1-NN assumes neighbours agree, which is true here: 68/96 ≈ 0.71 instead of 1/2. Per task: 12, 12, 7, 7, 7, 7, 8, 8.',
    },
    {
      name: "familyOtsCounts('majority', smooth tasks |X|=4, m=2)",
      fn: 'familyOtsCounts',
      args: ['majority', SMOOTH_4_2, 2, 2],
      expected: { correct: 56, total: 96 },
      points: 2,
      hint: 'Majority ignores where the inputs lie, so it gains less from smoothness: 56/96 ≈ 0.58. Ties between labels go to the smaller label, 0.',
    },
  ],
  hiddenInputs,
};
