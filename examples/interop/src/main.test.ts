import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, USAGE } from './main';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pnpm interop --help', () => {
  it.each([['--help'], ['-h'], ['--', '--help']])('%s prints the help and exits with 0', async (...argv) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(argv)).toBe(0);
    expect(log).toHaveBeenCalledWith(USAGE);
    expect(USAGE).toContain('Usage: pnpm interop');
    expect(USAGE).toContain('-h, --help');
  });

  it.each([
    [
      '--hlep',
      "interop: unknown option '--hlep'; did you mean '--help'? It takes no options: run with --help to see what it does.",
    ],
    ['--out=x', "interop: unknown option '--out=x'. It takes no options: run with --help to see what it does."],
    ['x', "interop: unknown argument 'x'. It takes no options: run with --help to see what it does."],
  ])('%s is refused with exit code 2 and a clear message', async (arg, message) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main([arg])).toBe(2);
    expect(error).toHaveBeenCalledWith(message);
    expect(log).not.toHaveBeenCalled(); // nothing ran
  });
});
