/**
 * A FileSystem for tests: the real node:fs, recording every call, and failing at a chosen one.
 *
 *   'error'  the chosen call fails (EIO; a write first writes half its bytes, then fails with
 *            ENOSPC, as a full disk does) and the program carries on: its cleanup runs;
 *   'crash'  the process dies at the chosen call: that call and every later one fail without
 *            touching the disk (a write dies after half its bytes), so no cleanup runs. What is
 *            on the disk then is what a `kill -9` at that moment leaves.
 */
import * as fs from 'node:fs';
import { basename } from 'node:path';
import type { FileSystem } from './durableWrite';

export type Mode = 'error' | 'crash';

export interface Recorded {
  fs: FileSystem;
  /** One entry per call: the function and its file, e.g. 'fsync weights-1a2b3c4d.bin.tmp'. */
  calls: string[];
  /** Closes what a crashed save left open (the OS does it when a process dies). */
  release(): void;
}

/** Temp names end in a random hex suffix: the recorded calls show them as `<name>.tmp`. */
const name = (path: string) => basename(path).replace(/\.tmp-[0-9a-f]+$/, '.tmp');

export function recordingFileSystem(failAt = -1, mode: Mode = 'error'): Recorded {
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
      const fd = fs.openSync(path, flags);
      opened.set(fd, path);
      return fd;
    },
    writeSync(fd, data, offset, length) {
      const call = on('write', opened.get(fd)!);
      if (enter(call)) {
        fs.writeSync(fd, data, offset, Math.floor(length / 2)); // a torn write: half the bytes got out
        throw fail('ENOSPC', call);
      }
      return fs.writeSync(fd, data, offset, length);
    },
    fsyncSync(fd) {
      const call = on('fsync', opened.get(fd)!);
      if (enter(call)) throw fail('EIO', call);
      fs.fsyncSync(fd);
    },
    closeSync(fd) {
      const call = on('close', opened.get(fd)!);
      if (enter(call)) {
        if (mode === 'error') {
          fs.closeSync(fd); // a close that reports an error still closes
          opened.delete(fd);
        }
        throw fail('EIO', call);
      }
      fs.closeSync(fd);
      opened.delete(fd);
    },
    renameSync(from, to) {
      const call = `rename ${name(from)} ${name(to)}`;
      if (enter(call)) throw fail('EIO', call);
      fs.renameSync(from, to);
    },
    rmSync(path, options) {
      const call = on('rm', path);
      if (enter(call)) throw fail('EIO', call);
      fs.rmSync(path, options);
    },
    mkdirSync(path, options) {
      const call = on('mkdir', path);
      if (enter(call)) throw fail('EIO', call);
      return fs.mkdirSync(path, options);
    },
    readdirSync(path) {
      const call = on('readdir', path);
      if (enter(call)) throw fail('EIO', call);
      return fs.readdirSync(path);
    },
  };
  const release = () => {
    for (const fd of opened.keys()) fs.closeSync(fd);
    opened.clear();
  };
  return { fs: recorded, calls, release };
}
