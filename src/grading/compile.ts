/**
 * Compile one exercise file (TypeScript) in the trusted process: type-check it the way a student's
 * editor would, and transpile it to CommonJS. A type error costs only that file: the caller scores
 * its cases as a compile error and goes on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../core/paths';

export interface Compiled {
  file: string;
  /** CommonJS text, or null when the file did not compile. */
  js: string | null;
  /** One readable line per error: `01-no-free-lunch.ts(12,5): Type 'string' is not assignable...`. */
  errors: string[];
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ['lib.es2022.d.ts'],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

/** Node's type declarations and nasbook's own, from nasbook's install, wherever the checked file lives. */
function compilerOptions(): ts.CompilerOptions {
  // "nasbook" maps to this package, so a file outside the course folder type-checks the same.
  const root = packageRoot();
  return { ...OPTIONS, typeRoots: [path.join(root, 'node_modules', '@types')], types: ['node'], baseUrl: root, paths: { nasbook: [root] } };
}

function formatDiagnostic(d: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return message;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.basename(d.file.fileName)}(${line + 1},${character + 1}): ${message}`;
}

/**
 * Type-check and transpile `file`. Errors in the file itself are reported; errors inside the
 * libraries it imports are not the student's and are ignored.
 * @throws Error if the file does not exist
 */
export function compileExercise(file: string): Compiled {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) throw new Error(`compileExercise: 'file' must be an existing file, got ${JSON.stringify(file)}`);
  const source = fs.readFileSync(absolute, 'utf8');
  const program = ts.createProgram([absolute], compilerOptions());
  const sourceFile = program.getSourceFile(absolute);
  const diagnostics = [
    ...program.getSyntacticDiagnostics(sourceFile),
    ...program.getSemanticDiagnostics(sourceFile),
  ];
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).map(formatDiagnostic);
  if (errors.length) return { file: absolute, js: null, errors };
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { ...OPTIONS, noEmit: false, sourceMap: false, inlineSourceMap: false },
    fileName: absolute,
  });
  return { file: absolute, js: outputText, errors: [] };
}
