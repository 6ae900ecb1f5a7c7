import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randn, seed } from '@sinapse/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lenet5 } from '../architectures/lenet5';
import { type FileSystem, makeDirectoryDurably, syncDirectory, writeFileDurably } from './durableWrite';
import { type Mode, recordingFileSystem } from './recordingFileSystem.test-util';
import { loadModel, save, saveWith } from './save';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sinapse-durable-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const base = (d: string) => d.split('/').pop()!;

describe('writeFileDurably (Note [Durable write])', () => {
  it('writes, fsyncs, closes, renames, then fsyncs the directory, in that order', () => {
    const { fs, calls } = recordingFileSystem();
    writeFileDurably(join(dir, 'state.json'), '{"epoch": 3}', 'test', fs);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{"epoch": 3}');
    const d = base(dir);
    expect(calls).toEqual([
      'open state.json.tmp',
      'write state.json.tmp',
      'fsync state.json.tmp',
      'close state.json.tmp',
      'rename state.json.tmp state.json',
      `open ${d}`,
      `fsync ${d}`,
      `close ${d}`,
    ]);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('a failure names the file and the step, and leaves the old file and no temp file', () => {
    writeFileSync(join(dir, 'state.json'), 'old');
    const { fs } = recordingFileSystem(2); // the fsync of the temp file
    expect(() => writeFileDurably(join(dir, 'state.json'), 'new', 'test', fs)).toThrow(
      `test: could not write ${join(dir, 'state.json')}: failed to fsync the temp file: EIO: injected failure, fsync state.json.tmp`,
    );
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('old');
  });

  it('a full disk is named as such', () => {
    const { fs } = recordingFileSystem(1); // the write: half the bytes, then ENOSPC
    expect(() => writeFileDurably(join(dir, 'a.bin'), new Uint8Array(100), 'test', fs)).toThrow(
      `test: could not write ${join(dir, 'a.bin')}: failed to write the temp file (the disk is full): ENOSPC`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes every byte when the system writes fewer than asked', () => {
    const { fs } = recordingFileSystem();
    const short: FileSystem = {
      ...fs,
      writeSync: (fd, data, offset, length) => fs.writeSync(fd, data, offset, Math.min(length, 7)),
    };
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
    writeFileDurably(join(dir, 'a.bin'), bytes, 'test', short);
    expect(Array.from(readFileSync(join(dir, 'a.bin')))).toEqual(Array.from(bytes));
  });
});

describe('syncDirectory', () => {
  const refusing = (at: 'openSync' | 'fsyncSync', code: string) => {
    const { fs, calls } = recordingFileSystem();
    const error = () => {
      throw Object.assign(new Error(`${code}: refused`), { code });
    };
    return { fs: { ...fs, [at]: error } as FileSystem, calls };
  };

  it.each([
    ['openSync', 'EISDIR'], // Windows cannot open a directory as a file
    ['fsyncSync', 'EPERM'], // Windows opens it, but refuses the fsync
    ['fsyncSync', 'EINVAL'], // file systems that do not fsync directories
  ] as const)('is skipped where %s throws %s', (at, code) => {
    const { fs } = refusing(at, code);
    expect(() => syncDirectory(dir, fs)).not.toThrow();
  });

  it('any other error is reported (EIO: the directory may not be on the disk)', () => {
    const { fs } = refusing('fsyncSync', 'EIO');
    expect(() => syncDirectory(dir, fs)).toThrow('EIO: refused');
  });
});

describe('makeDirectoryDurably', () => {
  it('fsyncs the parent of every directory it creates, and nothing for one that exists', () => {
    const { fs, calls } = recordingFileSystem();
    makeDirectoryDurably(join(dir, 'a', 'b'), 'test', fs);
    expect(calls).toEqual([
      'mkdir b',
      'open a',
      'fsync a',
      'close a',
      `open ${base(dir)}`,
      `fsync ${base(dir)}`,
      `close ${base(dir)}`,
    ]);
    const again = recordingFileSystem();
    makeDirectoryDurably(join(dir, 'a', 'b'), 'test', again.fs);
    expect(again.calls).toEqual(['mkdir b']);
  });
});

// ---- save, with a failure injected at each of its file-system calls -------------------------------

describe('save is durable', () => {
  seed(21);
  const oldModel = lenet5();
  const newModel = lenet5();
  const x = randn([2, 28, 28, 1]);
  const oldPrediction = Array.from(oldModel.predict(x).data);
  const newPrediction = Array.from(newModel.predict(x).data);
  // two shards, so that two weights files and model.json are each written and renamed
  const options = { shardBytes: 150_000 };

  /** The old model saved in `into`, with a file of the user's next to it that no save may touch. */
  const saveOld = (into: string) => {
    save(oldModel, into);
    writeFileSync(join(into, 'notes.txt'), 'mine');
  };
  const predicted = () => {
    const p = Array.from(loadModel(dir).predict(x).data);
    return p.every((v, i) => v === oldPrediction[i])
      ? 'old'
      : p.every((v, i) => v === newPrediction[i])
        ? 'new'
        : 'neither';
  };

  // one save recorded, to list the calls a save makes (in a directory of its own: `dir` is per test)
  const first = mkdtempSync(join(tmpdir(), 'sinapse-durable-'));
  saveOld(first);
  const oldWeights = readdirSync(first).find((f) => f.startsWith('weights-'))!;
  const run = recordingFileSystem();
  saveWith(run.fs, newModel, first, options);
  const calls = run.calls;
  const [w1, w2] = JSON.parse(readFileSync(join(first, 'model.json'), 'utf8')).weightsFiles as string[];
  rmSync(first, { recursive: true });
  const d = base(first);

  it('a save fsyncs each file before its rename and the directory after it, model.json last', () => {
    const durably = (file: string) => [
      `open ${file}.tmp`,
      `write ${file}.tmp`,
      `fsync ${file}.tmp`,
      `close ${file}.tmp`,
      `rename ${file}.tmp ${file}`,
      `open ${d}`,
      `fsync ${d}`,
      `close ${d}`,
    ];
    expect(calls).toEqual([
      `mkdir ${d}`, // it exists: nothing to fsync
      ...durably(w1!),
      ...durably(w2!),
      ...durably('model.json'),
      `readdir ${d}`,
      `rm ${oldWeights}`,
    ]);
  });

  /** The file a failing call was writing (the temp file's target, or the one renamed last for the directory's fsync). */
  const targets: string[] = [];
  for (const call of calls) {
    const file = /^open (.+)\.tmp$/.exec(call)?.[1];
    targets.push(file ?? targets.at(-1) ?? d);
  }
  const jsonRenamed = calls.indexOf('rename model.json.tmp model.json');

  describe.each(['error', 'crash'] as Mode[])('%s at each call', (mode) => {
    it.each(calls.map((call, i) => [i, call] as const))('#%i %s: the old or the new model loads, whole', (i, call) => {
      saveOld(dir);
      const faulty = recordingFileSystem(i, mode);
      let message = '';
      try {
        saveWith(faulty.fs, newModel, dir, options);
      } catch (err) {
        message = (err as Error).message;
      } finally {
        faulty.release();
      }
      // the error names what failed
      if (call.startsWith('mkdir')) expect(message).toMatch(`save: cannot create the directory ${dir}: EIO`);
      else if (i > jsonRenamed + 3)
        expect(message).toMatch(`save: the model is saved in ${dir}, but removing the stale files`);
      else expect(message).toMatch(`save: could not write ${join(dir, targets[i]!)}: failed to `);
      // model.json is the switch: the new model from its rename on, the old one before; never a mix
      expect(predicted()).toBe(i > jsonRenamed ? 'new' : 'old');
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
      const temps = readdirSync(dir).filter((f) => f.includes('.tmp-'));
      if (mode === 'error')
        expect(temps).toEqual([]); // cleaned up
      // a crash can leave one temp file; loading ignores it, the next save removes it
      else expect(temps.length).toBeLessThanOrEqual(1);
      save(newModel, dir, options);
      expect(readdirSync(dir).sort()).toEqual([w1, w2, 'model.json', 'notes.txt'].sort());
    });
  });
});
