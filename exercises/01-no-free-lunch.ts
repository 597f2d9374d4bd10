/**
 * Chapter 01, No Free Lunch: your exercise.
 *
 * Inputs are X = {0, ..., n-1} and labels are Y = {0, ..., k-1}. A task f: X -> Y is written as
 * its label vector [f(0), ..., f(n-1)], so [0, 0, 1] is the task on three inputs that labels
 * inputs 0 and 1 with 0 and input 2 with 1. A learner sees a training set (some inputs with their
 * labels under f) and returns a hypothesis: a label for every input of X, again a vector.
 *
 * nasbook has its own versions of these functions (countTasks, otsOnTask, exactOts): write yours
 * without them, then compare. Run `await check("01")` in the notebook to see which cases pass.
 */
import { makeLearner, type Learner, type LearnerName } from 'nasbook';
// makeLearner(name) gives you a library learner: 'constant', 'majority', 'nearest', 'lookup'.
// Use it as   makeLearner('majority').learn({ inputs: [0, 2], labels: [1, 1] }, { xSize: 4, ySize: 2 })
// which returns the hypothesis, here [1, 1, 1, 1]. A learner of your own is any object
// { name, learn(train, shape) } with the same learn(); the OTS functions below accept either.

/**
 * How many tasks f: X -> Y are there, with |X| = xSize and |Y| = ySize?
 *
 * Each input picks its label on its own, independently of the others. How many choices does one
 * input have, and how do the choices of several inputs combine? (With no inputs at all there is
 * still exactly one task: the empty function.)
 * Check: countTasks(3, 2) is 8.
 */
export function countTasks(xSize: number, ySize: number): number {
  throw new Error('TODO: return the number of label vectors of length xSize over ySize labels');
}

/**
 * Your own learner with a bias for smooth tasks: 1-nearest-neighbour on a line. The inputs of X
 * are the points 0, 1, ..., xSize-1; return the hypothesis that gives every x the label of the
 * training input closest to x (|x - input| smallest).
 *
 * Rules: when two training inputs are equally close to x, the SMALLER input wins (the one on the
 * left). The training inputs may come in any order. With no training data, predict 0 everywhere.
 * Check: nearestNeighbourPredict(5, [0, 4], [0, 1]) is [0, 0, 0, 1, 1] (x = 2 is a tie).
 */
export function nearestNeighbourPredict(xSize: number, inputs: number[], labels: number[]): number[] {
  throw new Error('TODO: give every x in 0..xSize-1 the label of its nearest training input (ties to the left)');
}

/**
 * Off-training-set counts of a learner on ONE task f (`task`, a label vector; |X| is its
 * length). For every training input set S ⊂ X of size `trainSize`:
 *   1. train the learner on the inputs of S with their labels under f,
 *   2. for every x* NOT in S, count one prediction, and one correct prediction when the
 *      hypothesis agrees with f at x*.
 * Return { correct, total }. `learner` is a library learner's name or a learner object of your
 * own ({ name, learn }): start with
 *   const model = typeof learner === 'string' ? makeLearner(learner) : learner;
 *
 * Hint: total does not depend on the task: C(n, m) training sets times (n - m) inputs left out.
 * To list the subsets of size m, write a small recursion (choose the next input, or skip it).
 * Check: the majority learner on [0, 0, 1] with one training input gets 2 of 6 right.
 */
export function otsCountsOnTask(learner: LearnerName | Learner, task: number[], ySize: number, trainSize: number): { correct: number; total: number } {
  throw new Error('TODO: loop over training sets S and inputs x* not in S; count correct and total predictions');
}

/**
 * Off-training-set counts of a learner summed over a family of tasks (`tasks`, a list of label
 * vectors of the same length): { correct, total } added up over the tasks.
 *
 * Hint: reuse otsCountsOnTask. Try it on ALL |Y|^|X| tasks: correct/total comes out as exactly
 * 1/|Y|, whatever the learner. Then try it on "smooth" tasks, whose labels change only once or
 * twice along the line: there a learner whose bias matches (which one?) does far better.
 * Check: 'nearest' on all 8 tasks with |X| = 3, |Y| = 2 and one training input gets 24 of 48.
 */
export function familyOtsCounts(learner: LearnerName | Learner, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  throw new Error('TODO: add up otsCountsOnTask over the tasks of the family');
}
