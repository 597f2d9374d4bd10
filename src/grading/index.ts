export type { Case, CaseInput, ChapterCases } from './types';
export { chapters, chapterCases, exerciseFileName } from './cases';
export { compareResult, type Comparison } from './compare';
export { compileExercise, type Compiled } from './compile';
export { runCalls, type Call, type CallOutcome, type RunOptions, type RunResult } from './runner';
export { gradeFile, libraryRuleForFile, type CaseResult, type CaseStatus, type FileReport, type GradeFileOptions } from './grade';
export { libraryRule, libraryMessage, type ProtectedExport } from './library';
export { memoryIsolation, networkIsolation, type MemoryIsolation, type NetworkIsolation } from './sandbox';
export { hiddenCases } from './hidden';
export { reportText, reportHtml, summaryLine, caseText, compileErrorsAt, type ChapterReport, type HintLevel, type ReportOptions, type CompileErrorAt } from './report';
export { check, checkChapter, type CheckOptions, type CheckReport } from './check';
export { findSubmissions, findExerciseFile, unpackZip, type Submission } from './submissions';
export {
  gradeClass, seedFingerprint,
  type GradeOptions, type Gradebook, type StudentGrade, type ChapterGrade, type StudentFlags, type HiddenSummary,
} from './gradebook';
export {
  gradesCsv, feedbackMarkdown, gradescopeResults, gradebookSummary, writeGradebook, readGradebook, mergeGradebooks,
  type GradescopeResults, type GradescopeTest,
} from './gradebookFiles';
