/**
 * `nasbook/grading`: the instructor's tools, kept out of the package root that students and
 * practitioners import. Grading a class (gradeClass, gradebook files, merge), publishing the
 * student edition, the Gradescope bundle, and the pieces they are built from (cases, compile,
 * sandboxed runner). A student's `check` stays in the root (`import { check } from "nasbook"`).
 *
 * @example import { gradeClass, writeGradebook } from "nasbook/grading";
 */
export * from '../grading';
export { releaseStudentEdition, type ReleaseOptions, type ReleaseResult } from '../grading/release';
export { writeGradescopeBundle, type GradescopeOptions, type GradescopeBundle } from '../grading/gradescope';
