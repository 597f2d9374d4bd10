/** Zero-cost proxies: scores of an untrained network from one forward/backward pass. */
export * from './jacobCov';
export * from './proxies';
export * from './synflowNet';
export * from './ranking';
export { ZERO_COST_SURVEYS, zeroCostSurveyHeader, zeroCostSurveyCells, runZeroCostSurvey, loadZeroCostSurvey, byTableCell, type ZeroCostSurveyName, type ZeroCostSurveyHeader, type ZeroCostRecord, type ZeroCostSurvey, type RunZeroCostSurveyOptions } from './survey';
