/**
 * A power loss during a save, simulated: a file system in memory that keeps, as a kernel does, what
 * the program wrote apart from what is on the disk, and can "lose power" (Note [Durable write]).
 *
 *   file data      is on the disk only once its file is fsynced; a power loss drops the rest (a file
 *                  created and never fsynced comes back empty, as XFS's delayed allocation leaves it);
 *   names          (create, rename, remove) are a log in the order they were made; a directory
 *                  fsync puts the whole log so far on the disk, and a power loss keeps any prefix of
 *                  the rest (a journaling file system commits metadata in order, but when it likes).
 *
 * After each of a save's calls the power goes, for every prefix of the names not yet synced; what
 * is left is written to a real directory and loaded. With the fsyncs it is always the old model or
 * the new one; with fsync turned into a no-op some of those disks hold neither, which is the bug
 * the fsyncs fix (and shows that this test can fail).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randn, seed } from '@sinapse/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { lenet5 } from '../architectures/lenet5';
import type { FileSystem } from './durableWrite';
import { loadModel, save, saveWith } from './save';

type NameOp =
  | { op: 'create'; name: string; inode: number }
  | { op: 'rename'; from: string; to: string }
  | { op: 'remove'; name: string };

/** The directory's names (name → inode) after `changes`, in order. */
function replay(changes: readonly NameOp[]): Map<string, number> {
  const entries = new Map<string, number>();
  for (const change of changes) {
    if (change.op === 'create') entries.set(change.name, change.inode);
    else if (change.op === 'remove') entries.delete(change.name);
    else {
      entries.set(change.to, entries.get(change.from)!);
      entries.delete(change.from);
    }
  }
  return entries;
}

class PowerLossFileSystem implements FileSystem {
  /** Per inode: the bytes written, and the bytes an fsync put on the disk. */
  private files = new Map<number, { written: Uint8Array; onDisk: Uint8Array }>();
  private names: NameOp[] = [];
  /** names[0, synced) are on the disk. */
  private synced = 0;
  private fds = new Map<number, number | 'dir'>();
  private calls = 0;

  /**
   * @param dir the one directory this file system holds, filled with the files of a real one, all on the disk
   * @param stopAfter the power goes after this many calls: every later call fails
   * @param fsyncWorks false to make fsync a no-op (what save did before)
   */
  constructor(
    private readonly dir: string,
    from: string,
    private readonly stopAfter: number,
    private readonly fsyncWorks = true,
  ) {
    for (const name of readdirSync(from)) {
      const bytes = new Uint8Array(readFileSync(join(from, name)));
      const inode = this.files.size;
      this.files.set(inode, { written: bytes, onDisk: bytes });
      this.names.push({ op: 'create', name, inode });
    }
    this.synced = this.names.length;
  }

  /** How many name changes are not on the disk yet: a power loss keeps 0 to this many of them. */
  get unsynced(): number {
    return this.names.length - this.synced;
  }

  /** The directory after a power loss that kept the first `kept` unsynced name changes, written to `into`. */
  powerLoss(kept: number, into: string): void {
    for (const [name, inode] of replay(this.names.slice(0, this.synced + kept))) {
      writeFileSync(join(into, name), this.files.get(inode)!.onDisk);
    }
  }

  private enter(): void {
    if (this.calls++ >= this.stopAfter) throw Object.assign(new Error('EIO: the power is off'), { code: 'EIO' });
  }
  private nameIn(path: string): string {
    if (dirname(path) !== this.dir) throw new Error(`PowerLossFileSystem holds only ${this.dir}, not ${path}`);
    return basename(path);
  }
  /** The names as the program sees them: every change made. */
  private entries(): Map<string, number> {
    return replay(this.names);
  }

  openSync(path: string, flags: string): number {
    this.enter();
    const fd = this.fds.size + 100;
    if (path === this.dir) {
      this.fds.set(fd, 'dir');
      return fd;
    }
    if (flags !== 'wx') throw new Error(`unexpected flags ${flags}`);
    const name = this.nameIn(path);
    if (this.entries().has(name)) throw Object.assign(new Error(`EEXIST: ${path}`), { code: 'EEXIST' });
    const inode = this.files.size;
    this.files.set(inode, { written: new Uint8Array(0), onDisk: new Uint8Array(0) });
    this.names.push({ op: 'create', name, inode });
    this.fds.set(fd, inode);
    return fd;
  }
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number {
    this.enter();
    const file = this.files.get(this.fds.get(fd) as number)!;
    const written = new Uint8Array(file.written.length + length);
    written.set(file.written);
    written.set(data.subarray(offset, offset + length), file.written.length);
    file.written = written;
    return length;
  }
  fsyncSync(fd: number): void {
    this.enter();
    if (!this.fsyncWorks) return;
    const target = this.fds.get(fd)!;
    if (target === 'dir') this.synced = this.names.length;
    else this.files.get(target)!.onDisk = this.files.get(target)!.written; // never mutated: writes replace it
  }
  closeSync(_fd: number): void {
    this.enter();
  }
  renameSync(from: string, to: string): void {
    this.enter();
    this.names.push({ op: 'rename', from: this.nameIn(from), to: this.nameIn(to) });
  }
  rmSync(path: string): void {
    this.enter();
    const name = this.nameIn(path);
    if (this.entries().has(name)) this.names.push({ op: 'remove', name });
  }
  mkdirSync(path: string): string | undefined {
    this.enter();
    if (path !== this.dir) throw new Error(`PowerLossFileSystem holds only ${this.dir}`);
    return undefined; // it exists
  }
  readdirSync(path: string): string[] {
    this.enter();
    this.nameIn(join(path, 'x'));
    return [...this.entries().keys()];
  }
}

describe('a power loss during a save (simulated)', () => {
  seed(31);
  const oldModel = lenet5();
  const newModel = lenet5();
  const x = randn([2, 28, 28, 1]);
  const predictions = { old: Array.from(oldModel.predict(x).data), new: Array.from(newModel.predict(x).data) };
  const root = mkdtempSync(join(tmpdir(), 'sinapse-power-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const oldSave = join(root, 'old');
  save(oldModel, oldSave);
  const options = { shardBytes: 150_000 }; // two weights files and model.json: three renames

  /** What loads after the power went at each call, for each prefix of the unsynced names kept. */
  function outcomes(fsyncWorks: boolean): Map<string, number> {
    const counts = new Map<string, number>();
    const dir = '/simulated/model';
    for (let stopAfter = 0; ; stopAfter++) {
      const fs = new PowerLossFileSystem(dir, oldSave, stopAfter, fsyncWorks);
      let finished = true;
      try {
        saveWith(fs, newModel, dir, options);
      } catch (err) {
        finished = false;
        if (stopAfter > 100) throw new Error(`the save never finishes: ${(err as Error).message}`);
      }
      for (let kept = 0; kept <= fs.unsynced; kept++) {
        const disk = mkdtempSync(join(root, 'disk-'));
        fs.powerLoss(kept, disk);
        let outcome = 'neither (does not load)';
        try {
          const p = Array.from(loadModel(disk).predict(x).data);
          if (p.every((v, i) => v === predictions.old[i])) outcome = 'old';
          else if (p.every((v, i) => v === predictions.new[i])) outcome = 'new';
          else outcome = 'neither (wrong predictions)';
        } catch {
          // a model.json or weights file cut short or empty: loadModel refuses it
        }
        // a save that returned must be the one on the disk
        if (finished && fsyncWorks) expect(outcome).toBe('new');
        counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
        rmSync(disk, { recursive: true });
      }
      if (finished) return counts;
    }
  }

  it('with the fsyncs: the old model or the new one, after a power loss at any moment', () => {
    const counts = outcomes(true);
    expect([...counts.keys()].sort()).toEqual(['new', 'old']);
  });

  it('without them (fsync a no-op, the save of before): some power losses leave neither', () => {
    const counts = outcomes(false);
    expect(counts.get('neither (does not load)')).toBeGreaterThan(0);
  });
});
