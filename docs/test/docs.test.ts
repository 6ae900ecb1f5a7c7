/**
 * Docs are code: every ```ts block in docs/*.md and in the package READMEs runs here, and its
 * console output must equal the ```text block that follows it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { extractCodeBlocks, normalizeOutput } from './codeBlocks';

const docsDir = join(import.meta.dirname, '..');
const repoRoot = join(docsDir, '..');
const scratch = join(docsDir, '.doctest');
mkdirSync(scratch, { recursive: true });

const pages = [
  ...readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(docsDir, f)),
  join(repoRoot, 'README.md'),
  ...readdirSync(join(repoRoot, 'packages')).map((p) => join(repoRoot, 'packages', p, 'README.md')),
];

for (const page of pages) {
  const name = page.slice(repoRoot.length + 1);
  const blocks = extractCodeBlocks(readFileSync(page, 'utf8'));
  if (blocks.length === 0) continue;
  describe(name, () => {
    it.each(blocks.map((b) => [b.line, b] as const))('code block at line %i runs', (line, block) => {
      const js = transformSync(block.code, { loader: 'ts', format: 'esm', target: 'es2022' }).code;
      const file = join(scratch, `${basename(page, '.md')}-${basename(join(page, '..'))}-${line}.mjs`);
      writeFileSync(file, js);
      let stdout: string;
      try {
        stdout = execFileSync(process.execPath, [file], { cwd: docsDir, encoding: 'utf8', stdio: 'pipe' });
      } catch (err) {
        const e = err as { stderr?: string };
        throw new Error(`${name}:${line} threw:\n${e.stderr ?? String(err)}`);
      }
      if (block.expectedOutput !== null) {
        expect(normalizeOutput(stdout), `${name}:${line} printed something else`).toBe(
          normalizeOutput(block.expectedOutput),
        );
      }
    });
  });
}

describe('extractCodeBlocks', () => {
  it('pairs a ts block with the text block after it and skips norun blocks', () => {
    const md = ['# t', '```ts', 'console.log(1)', '```', '```text', '1', '```', '```ts norun', 'x', '```'].join('\n');
    const blocks = extractCodeBlocks(md);
    expect(blocks).toEqual([{ line: 2, code: 'console.log(1)', expectedOutput: '1' }]);
  });
});
