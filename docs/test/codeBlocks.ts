/**
 * Extracts the runnable examples of a Markdown page.
 *
 * Conventions (see docs/README.md):
 *   - a ```ts block is run; ```ts norun is shown but not run;
 *   - a ```text block right after a ts block is that block's expected console output, compared
 *     exactly (trailing spaces ignored);
 *   - every ts block is self-contained: it has its own imports and variables.
 */
export interface CodeBlock {
  /** 1-based line of the opening fence, for error messages. */
  line: number;
  code: string;
  expectedOutput: string | null;
}

const FENCE = /^```(\w*)(.*)$/;

export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = FENCE.exec(lines[i]!);
    if (!open) {
      i++;
      continue;
    }
    const [, lang, info] = open;
    const start = i;
    const body: string[] = [];
    i++;
    while (i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i++]!);
    i++; // closing fence
    if (lang === 'text' && blocks.length > 0 && blocks[blocks.length - 1]!.expectedOutput === null) {
      const previous = blocks[blocks.length - 1]!;
      if (previous.line + previous.code.split('\n').length + 2 >= start - 1) {
        previous.expectedOutput = body.join('\n');
      }
      continue;
    }
    if ((lang === 'ts' || lang === 'typescript') && !info!.includes('norun')) {
      blocks.push({ line: start + 1, code: body.join('\n'), expectedOutput: null });
    }
  }
  return blocks;
}

/** Trailing spaces and blank lines at the ends do not count. */
export function normalizeOutput(s: string): string {
  return s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
}
