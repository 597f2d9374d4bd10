/**
 * Learners by name, so plain JSON (exercise cases, notebook tables) can say which learner to use.
 */
import { checkOneOf } from '../core/checks';
import { constantLearner, Learner, lookupLearner, majorityLearner, nearestNeighbourLearner } from './learners';
import { mlpLearner } from './mlp';

/** The learners a case or a notebook can name. */
export const learnerNames = ['constant', 'majority', 'nearest', 'lookup', 'mlp'] as const;

/** One of learnerNames. */
export type LearnerName = (typeof learnerNames)[number];

/**
 * A learner by name, with its default settings: 'constant' (always label 0), 'majority',
 * 'nearest' (1-NN on a line, ties to the left), 'lookup' (memorise, unseen -> 0), 'mlp' (a small
 * seeded tfjs network with one-hot inputs; call `await init()` first).
 * @param name one of learnerNames
 * @throws RangeError naming 'name' and the allowed names if the name is unknown
 * @example makeLearner('nearest').name // "nearest"
 */
export function makeLearner(name: LearnerName): Learner {
  switch (checkOneOf<LearnerName>('name', name, learnerNames, 'makeLearner')) {
    case 'constant':
      return constantLearner(0);
    case 'majority':
      return majorityLearner();
    case 'nearest':
      return nearestNeighbourLearner();
    case 'lookup':
      return lookupLearner(0);
    case 'mlp':
      return mlpLearner();
  }
}
