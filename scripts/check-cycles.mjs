// Fails on any import circle inside a workspace package's src/, but one: the Tensor class and its
// ops (Note [The tensor/ops circle] in packages/tensor/src/tensor.ts).
//
// A circle matters when modules are evaluated: a module inside one can run before a module it
// imports has run, and then sees that module's exports still uninitialized. So only the imports
// that exist at run time count. With `verbatimModuleSyntax` (tsconfig.base.json) the compiler
// erases exactly the `import type` / `export type` declarations and keeps every other import
// (even `import { type A }`, which becomes `import {}`), and this script counts edges the same way.
// Dynamic `import()` is not counted: it runs later, never during evaluation.
//
// The one allowed circle is a strongly connected group (SCC) of packages/tensor/src made of
// tensor.ts and files under ops/ and autograd/, in which every circle goes through tensor.ts:
// without tensor.ts, the other files of the group import each other without a circle. Anything
// else, in any package, fails.
//
// Usage: node scripts/check-cycles.mjs   (pnpm check:cycles)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;

/** The workspace's package folders that have a src/, from pnpm-workspace.yaml's `packages:` list. */
function packageDirs() {
  const globs = [];
  let inPackages = false;
  for (const line of readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').split('\n')) {
    if (/^\S/.test(line)) inPackages = line.startsWith('packages:');
    const entry = /^\s+-\s+['"]?([^'"\s]+)['"]?/.exec(line);
    if (inPackages && entry) globs.push(entry[1]);
  }
  const dirs = [];
  for (const glob of globs) {
    const parts = glob.endsWith('/*')
      ? readdirSync(join(root, glob.slice(0, -2))).map((n) => `${glob.slice(0, -1)}${n}`)
      : [glob];
    for (const dir of parts) if (existsSync(join(root, dir, 'src'))) dirs.push(dir);
  }
  return dirs.sort();
}

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The run-time imports and re-exports of a file, resolved to files of the same src/ folder. */
function runtimeImports(file, files, options) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const targets = new Set();
  for (const node of source.statements) {
    let specifier;
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) specifier = node.moduleSpecifier;
    else if (ts.isExportDeclaration(node) && !node.isTypeOnly) specifier = node.moduleSpecifier;
    if (specifier === undefined || !ts.isStringLiteral(specifier)) continue;
    const resolved = ts.resolveModuleName(specifier.text, file, options, ts.sys).resolvedModule;
    if (resolved && files.has(resolved.resolvedFileName)) targets.add(resolved.resolvedFileName);
  }
  return [...targets];
}

/** Tarjan's algorithm: the strongly connected components of `graph` (Map<file, file[]>). */
function stronglyConnected(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      groups.push(group);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  // a circle is a group of two or more files, or one file that imports itself
  return groups.filter((g) => g.length > 1 || graph.get(g[0]).includes(g[0]));
}

/** One shortest circle through `start` inside `group`, as a list of files ending where it began. */
function circleThrough(start, group, graph) {
  const members = new Set(group);
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v)) {
      if (!members.has(w)) continue;
      if (w === start) {
        const chain = [];
        for (let u = v; u !== start; u = previous.get(u)) chain.unshift(u);
        return [start, ...chain, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * Why `group` is not the documented circle (tensor.ts + ops/ and autograd/ files, every circle
 * through tensor.ts), with a circle that shows it; null when it is that circle.
 */
function whyNotAllowed(dir, src, group, graph) {
  const name = (f) => relative(src, f);
  const tensorFile = join(src, 'tensor.ts');
  const sorted = [...group].sort();
  if (dir !== 'packages/tensor' || !group.includes(tensorFile)) {
    return { reason: '', circle: circleThrough(sorted[0], group, graph) };
  }
  const outside = sorted.filter((f) => f !== tensorFile && !/^(ops|autograd)\//.test(name(f)));
  if (outside.length > 0) {
    return {
      reason: ` (the tensor.ts circle may hold only ops/ and autograd/ files, but it now holds ${outside.map(name).join(', ')})`,
      circle: circleThrough(outside[0], group, graph),
    };
  }
  const rest = group.filter((f) => f !== tensorFile);
  const withoutTensor = new Map(rest.map((f) => [f, graph.get(f).filter((g) => g !== tensorFile && rest.includes(g))]));
  const inner = stronglyConnected(withoutTensor);
  if (inner.length === 0) return null;
  const first = [...inner[0]].sort()[0];
  return {
    reason: ' (every circle of the tensor.ts group must go through tensor.ts, but this one does not)',
    circle: circleThrough(first, inner[0], withoutTensor),
  };
}

const options = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
};
let failures = 0;
for (const dir of packageDirs()) {
  const src = join(root, dir, 'src');
  const files = new Set(sourceFiles(src));
  const graph = new Map([...files].map((f) => [f, runtimeImports(f, files, options)]));
  let allowed = '';
  let circles = 0;
  for (const group of stronglyConnected(graph)) {
    const why = whyNotAllowed(dir, src, group, graph);
    if (why === null) {
      allowed = ` but the documented one: tensor.ts <-> ops/ (${group.length} files, Note [The tensor/ops circle])`;
      continue;
    }
    circles++;
    const names = group.map((f) => relative(src, f)).sort();
    const listed =
      names.length > 12 ? `${names.slice(0, 12).join(', ')} and ${names.length - 12} more` : names.join(', ');
    console.error(`${dir}/src: import circle of ${group.length} files${why.reason}: ${listed}`);
    console.error(`  for example: ${why.circle.map((f) => relative(src, f)).join(' -> ')}`);
  }
  if (circles === 0) console.log(`${dir}/src: ${files.size} files, no import circle${allowed}`);
  failures += circles;
}
if (failures > 0) {
  console.error(
    `check-cycles: ${failures} import circle(s). Move the shared code into a module both sides import, ` +
      'or make the import `import type` if only types cross. The only allowed circle is ' +
      'Note [The tensor/ops circle] in packages/tensor/src/tensor.ts.',
  );
  process.exit(1);
}
