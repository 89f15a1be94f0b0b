/**
 * Unused-export scan (a script, not a test): `npx tsx scripts/unusedExports.ts [dir…]`.
 *
 * Lists the exports of renderer/, shared/ and electron/ (or the dirs given) that no other file in
 * the repository imports or re-exports — code, tests, e2e, benches and scripts all count as users.
 * A name is "used" when some file imports it by name from that module, re-exports it, or imports
 * the module whole (`import * as`, `export *`, a dynamic `import()`); exports of entry files
 * (configs, specs, tests) are not listed. Read the list, then delete the dead code or drop the
 * `export` from what is only used inside its own file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const scanned = (process.argv.slice(2).length ? process.argv.slice(2) : ['renderer', 'shared', 'electron']).map((d) => path.join(root, d));
const searched = ['renderer', 'shared', 'electron', 'e2e', 'test', 'bench', 'scripts'].map((d) => path.join(root, d));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const files = [
  ...searched.flatMap(sourceFiles),
  ...readdirSync(root)
    .filter((n) => n.endsWith('.config.ts'))
    .map((n) => path.join(root, n)),
];
const options: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  jsx: ts.JsxEmit.ReactJSX,
};
const resolve = (spec: string, from: string) => ts.resolveModuleName(spec, from, options, ts.sys).resolvedModule?.resolvedFileName;

/** Names each module exports (declarations and `export { a }` lists; not `export *`). */
const exported = new Map<string, Set<string>>();
/** Names other files take from each module; '*' = the whole module. */
const used = new Map<string, Set<string>>();
const use = (file: string | undefined, name: string) => {
  if (!file) return;
  let set = used.get(file);
  if (!set) used.set(file, (set = new Set()));
  set.add(name);
};

for (const file of files) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const names = new Set<string>();
  const hasExport = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const target = resolve(st.moduleSpecifier.text, file);
      const clause = st.importClause;
      if (!clause) continue;
      if (clause.name) use(target, 'default');
      const b = clause.namedBindings;
      if (b && ts.isNamespaceImport(b)) use(target, '*');
      if (b && ts.isNamedImports(b)) for (const el of b.elements) use(target, (el.propertyName ?? el.name).text);
    } else if (ts.isExportDeclaration(st)) {
      const target = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? resolve(st.moduleSpecifier.text, file) : undefined;
      if (!st.exportClause) use(target, '*');
      else if (ts.isNamedExports(st.exportClause))
        for (const el of st.exportClause.elements) {
          if (target) use(target, (el.propertyName ?? el.name).text);
          names.add(el.name.text);
        }
    } else if (ts.isExportAssignment(st)) {
      names.add('default');
    } else if (hasExport(st)) {
      const isDefault = (ts.getModifiers(st as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (isDefault) names.add('default');
      else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
      } else if ('name' in st && st.name && ts.isIdentifier(st.name as ts.Node)) names.add((st.name as ts.Identifier).text);
    }
  }
  // Dynamic imports take the whole module.
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0]))
      use(resolve(n.arguments[0].text, file), '*');
    // `import('./x').Name` in a type position.
    if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      const target = resolve(n.argument.literal.text, file);
      if (!n.qualifier) use(target, '*');
      else use(target, ts.isIdentifier(n.qualifier) ? n.qualifier.text : n.qualifier.left.getText());
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  exported.set(file, names);
}

const isEntry = (f: string) => /\.(test|spec)\.tsx?$/.test(f) || f.endsWith('.config.ts') || !scanned.some((d) => f.startsWith(d + path.sep));
let count = 0;
let deadCount = 0;
for (const [file, names] of exported) {
  if (isEntry(file)) continue;
  const taken = used.get(file) ?? new Set();
  if (taken.has('*')) continue;
  const unimported = [...names].filter((n) => !taken.has(n));
  if (unimported.length === 0) continue;
  // Used inside its own file (the export could go, the code stays) or nowhere at all (dead code).
  const text = readFileSync(file, 'utf8');
  const uses = (n: string) => text.match(new RegExp(`\\b${n}\\b`, 'g'))?.length ?? 0;
  const dead = unimported.filter((n) => n !== 'default' && uses(n) <= 1);
  const local = unimported.filter((n) => !dead.includes(n));
  count += unimported.length;
  deadCount += dead.length;
  console.log(
    `${path.relative(root, file)}: ${dead.length ? `DEAD ${dead.join(', ')}` : ''}${dead.length && local.length ? ' · ' : ''}${local.length ? `only local ${local.join(', ')}` : ''}`,
  );
}
console.log(`\n${count} exports nothing imports; ${deadCount} of them used nowhere at all (DEAD)`);
