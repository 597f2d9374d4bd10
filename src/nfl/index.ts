/**
 * The No Free Lunch chapter: tasks f: X -> Y on finite sets, learners with different inductive
 * biases, and their off-training-set accuracy, exactly (by enumeration) or by Monte Carlo.
 */
export {
  TaskShape,
  MAX_ENUMERATION,
  checkTaskShape,
  countTasks,
  countTasksBig,
  enumerateTasks,
  countTrainingSets,
  enumerateTrainingSets,
  checkTask,
  countLabelChanges,
} from './tasks';
export {
  TrainingSet,
  Learner,
  checkTrainingSet,
  constantLearner,
  majorityLearner,
  nearestNeighbourLearner,
  lookupLearner,
} from './learners';
export { MlpEncoding, MlpOptions, mlpLearner } from './mlp';
export { learnerNames, LearnerName, makeLearner } from './registry';
export { TaskFamily, uniformTasks, smoothTasks, taskListFamily } from './families';
export {
  OtsSetting,
  OtsTaskResult,
  ExactOtsResult,
  ExactOtsOptions,
  MonteCarloOtsOptions,
  MonteCarloOtsResult,
  SeededOtsSummary,
  ExactOtsRow,
  HeadToHead,
  checkOtsSetting,
  otsOnTask,
  exactOts,
  monteCarloOts,
  compareLearnersOts,
  exactOtsRow,
  headToHead,
} from './ots';
