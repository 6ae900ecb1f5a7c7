import * as nodeFs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { randn, seed } from '@sinapse/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lenet5 } from '../architectures/lenet5';
import { type FileSystem, makeDirectoryDurably, syncDirectory, writeFileDurably } from './durableWrite';
import { loadModel, save, saveWith } from './save';

// ---- a FileSystem for the tests: the real node:fs, recording every call, and failing at a chosen one ----

/**
 *   'error'  the chosen call fails (EIO; a write first writes half its bytes, then fails with
 *            ENOSPC, as a full disk does) and the program carries on: its cleanup runs;
 *   'crash'  the process dies at the chosen call: that call and every later one fail without
 *            touching the disk (a write dies after half its bytes), so no cleanup runs. What is
 *            on the disk then is what a `kill -9` at that moment leaves.
 */
type Mode = 'error' | 'crash';

interface Recorded {
  fs: FileSystem;
  /** One entry per call: the function and its file, e.g. 'fsync weights-1a2b3c4d.bin.tmp'. */
  calls: string[];
  /** Closes what a crashed save left open (the OS does it when a process dies). */
  release(): void;
}

/** Temp names end in a random hex suffix: the recorded calls show them as `<name>.tmp`. */
const name = (path: string) => basename(path).replace(/\.tmp-[0-9a-f]+$/, '.tmp');

function recordingFileSystem(failAt = -1, mode: Mode = 'error'): Recorded {
  const calls: string[] = [];
  const opened = new Map<number, string>();
  let dead = false;
  /** Records the call; returns true if it is the one to fail. */
  const enter = (call: string): boolean => {
    if (dead) throw new Error(`the process died before ${call}`);
    calls.push(call);
    if (calls.length - 1 !== failAt) return false;
    if (mode === 'crash') dead = true;
    return true;
  };
  const fail = (code: string, call: string) =>
    Object.assign(new Error(`${code}: injected failure, ${call}`), { code, errno: -5, syscall: call.split(' ')[0] });
  const on = (fn: string, path: string) => `${fn} ${name(path)}`;
  const recorded: FileSystem = {
    openSync(path, flags) {
      const call = on('open', path);
      if (enter(call)) throw fail('EIO', call);
      const fd = nodeFs.openSync(path, flags);
      opened.set(fd, path);
      return fd;
    },
    writeSync(fd, data, offset, length) {
      const call = on('write', opened.get(fd)!);
      if (enter(call)) {
        nodeFs.writeSync(fd, data, offset, Math.floor(length / 2)); // a torn write: half the bytes got out
        throw fail('ENOSPC', call);
      }
      return nodeFs.writeSync(fd, data, offset, length);
    },
    fsyncSync(fd) {
      const call = on('fsync', opened.get(fd)!);
      if (enter(call)) throw fail('EIO', call);
      nodeFs.fsyncSync(fd);
    },
    closeSync(fd) {
      const call = on('close', opened.get(fd)!);
      if (enter(call)) {
        if (mode === 'error') {
          nodeFs.closeSync(fd); // a close that reports an error still closes
          opened.delete(fd);
        }
        throw fail('EIO', call);
      }
      nodeFs.closeSync(fd);
      opened.delete(fd);
    },
    renameSync(from, to) {
      const call = `rename ${name(from)} ${name(to)}`;
      if (enter(call)) throw fail('EIO', call);
      nodeFs.renameSync(from, to);
    },
    rmSync(path, options) {
      const call = on('rm', path);
      if (enter(call)) throw fail('EIO', call);
      nodeFs.rmSync(path, options);
    },
    mkdirSync(path, options) {
      const call = on('mkdir', path);
      if (enter(call)) throw fail('EIO', call);
      return nodeFs.mkdirSync(path, options);
    },
    readdirSync(path) {
      const call = on('readdir', path);
      if (enter(call)) throw fail('EIO', call);
      return nodeFs.readdirSync(path);
    },
  };
  const release = () => {
    for (const fd of opened.keys()) nodeFs.closeSync(fd);
    opened.clear();
  };
  return { fs: recorded, calls, release };
}

// ---- the tests ----------------------------------------------------------------------------------

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
