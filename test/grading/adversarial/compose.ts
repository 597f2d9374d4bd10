/**
 * An attacker is the reference solution with one function altered. Only the alteration is
 * committed (`<attacker>/attack.ts`: the header saying what it tries, the attacked function, and
 * any imports, helpers or top-level code the attack needs); `composeAttacker` adds back every
 * top-level declaration of the current solution that the attack does not redefine (or `// @omit`). So a change to
 * chapter 01's solution reaches all attackers, and no attacker repeats the solution.
 */
import * as ts from 'typescript';

/** Names a top-level statement declares (functions, variables, types, classes). */
function declaredNames(s: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name) return [s.name.text];
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  return [];
}

/** Local names an import brings in. */
function importedNames(s: ts.ImportDeclaration): string[] {
  const c = s.importClause;
  if (!c) return [];
  const out = c.name ? [c.name.text] : [];
  const b = c.namedBindings;
  if (b && ts.isNamespaceImport(b)) out.push(b.name.text);
  if (b && ts.isNamedImports(b)) out.push(...b.elements.map((e) => e.name.text));
  return out;
}

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile('m.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/**
 * The attacker's full exercise file: the attack first, then the solution's imports of names the
 * attack does not import, then the solution's declarations the attack does not redefine (each with
 * its leading comment).
 */
export function composeAttacker(solution: string, attack: string): string {
  let a = parse(attack);
  // `declare function f(...)` lets an attack type-check alone while calling a solution function:
  // it is dropped here, where the solution's own definition joins the file.
  const ambient = a.statements.filter((s) => ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword));
  for (const s of [...ambient].reverse()) attack = attack.slice(0, s.getFullStart()) + attack.slice(s.getEnd());
  a = parse(attack);
  const taken = new Set(a.statements.flatMap((s) => (ts.isImportDeclaration(s) ? importedNames(s) : declaredNames(s))));
  // `// @omit name` leaves a solution declaration out without replacing it (a missing export).
  for (const m of attack.matchAll(/^\/\/ @omit (\w+)$/gm)) taken.add(m[1]);
  const s = parse(solution);
  const kept: string[] = [];
  for (const st of s.statements) {
    if (ts.isImportDeclaration(st)) {
      const names = importedNames(st);
      if (names.length > 0 && names.every((n) => taken.has(n))) continue;
      if (names.some((n) => taken.has(n))) {
        // The attack imports some of these names: keep the solution's import of the others.
        const b = st.importClause?.namedBindings;
        if (st.importClause?.name || !b || !ts.isNamedImports(b)) throw new Error(`composeAttacker: the attack imports some of ${names.join(', ')} but not all; import all or none`);
        const rest = b.elements.filter((e) => !taken.has(e.name.text)).map((e) => e.getText(s));
        kept.push(`import { ${rest.join(', ')} } from ${st.moduleSpecifier.getText(s)};`);
        continue;
      }
      kept.push(st.getFullText(s).trim());
      continue;
    }
    const names = declaredNames(st);
    if (names.length > 0 && names.every((n) => taken.has(n))) continue;
    // Keep the leading comment (TSDoc) but drop the file's header comment on the first statement.
    const text = st === s.statements[0] ? st.getText(s) : st.getFullText(s).trim();
    kept.push(text);
  }
  return `${attack.trimEnd()}\n\n// The rest of the reference solution, unchanged.\n${kept.join('\n\n')}\n`;
}
