export * from './aggregate';
export * from './fit';
export * from './predict';
export * from './measure';
export * from './validate';
export { loadLatencySurvey, readSurveyShard, runLatencySurvey, surveyNetwork, surveyOperations, surveyTasks } from './survey';
export type { LatencySurvey, LatencySurveySettings, SurveyMachine, SurveyRecord, SurveyShard, OpTask, NetworkTask, RunSurveyOptions } from './survey';
export * from './analysis';
