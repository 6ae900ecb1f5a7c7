/**
 * Writing a file so that it survives both a killed process and a power loss (Node only).
 *
 * Note [Durable write]: `writeFileSync(path)` then `renameSync` is safe against a killed process,
 * but not against a power loss or an OS crash. The kernel keeps written bytes and renames in its
 * page cache and puts them on the disk later, in an order of its choosing: after a power loss the
 * rename can be on the disk while the data is not, and the new name then points at an empty or
 * partly written file (XFS and btrfs do this; ext4 mostly hides it, not always). So, as SQLite and
 * npm's write-file-atomic do, each file goes through five steps:
 *
 *   1. write the bytes to a temp file next to the target (`<name>.tmp-<random>`). A failure here
 *      (a full disk, EIO) or a crash leaves only the temp file: the target is untouched;
 *   2. fsync the temp file: its bytes are on the disk before any name points at them. Without it,
 *      a power loss after step 4 can leave the target name on an empty file;
 *   3. close it (a close can report a write error the writes did not: NFS does);
 *   4. rename the temp file over the target. Within one directory a rename is atomic on POSIX and
 *      NTFS: a reader, or a restart after a crash, sees the old file or the new one, never a mix;
 *   5. fsync the directory: the rename itself is on the disk when this function returns. Without it,
 *      a power loss can undo the rename (the old file comes back) after the caller was told the
 *      write succeeded, and a later file written on the strength of this one (model.json naming
 *      weights) could reach the disk while this one did not.
 *
 * Windows cannot open a directory for fsync (EISDIR, or EPERM), some file systems refuse to fsync
 * one (EINVAL); there, NTFS's own journal orders the rename, and step 5 is skipped.
 * On any failure the temp file is removed (best effort) and a ValueError names the target file and
 * the step that failed. A disk that acknowledges a flush it has only cached can still lose the
 * last write on a power loss; no program can do better than fsync on such hardware.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValueError } from '@sinapse/tensor';

/**
 * The few file-system calls a durable write makes, with node:fs's signatures, so a test can pass a
 * file system that fails at a chosen call (crash injection) or records the calls' order.
 */
export interface FileSystem {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: true }): void;
  mkdirSync(path: string, options: { recursive: true }): string | undefined;
  readdirSync(path: string): string[];
}

/** The real file system. */
export const nodeFileSystem: FileSystem = nodeFs;

/** The suffix of the temp files writeFileDurably leaves behind if the process dies mid-write. */
export const TEMP_FILE = /\.tmp-[0-9a-f]+$/;

/**
 * Writes `data` to `path` so that `path` holds either its old content or all of `data`, after a
 * killed process and after a power loss, and is on the disk when this returns (Note [Durable write]).
 * @param op the name of the calling function, for the error message. Default 'writeFileDurably'.
 * @param fs the file system to write through. Default node:fs; tests pass one that fails on purpose.
 * @throws ValueError naming `path` and the step that failed (the cause is the file system's error).
 * @example
 * writeFileDurably('/tmp/run/state.json', JSON.stringify(state));
 */
export function writeFileDurably(
  path: string,
  data: Uint8Array | string,
  op = 'writeFileDurably',
  fs: FileSystem = nodeFileSystem,
): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  let step = 'create the temp file';
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx'); // 'x': never reuse a file another writer may hold open
    step = 'write the temp file';
    // writeSync may write fewer bytes than asked (a signal, a pipe): loop until all are written
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    step = 'fsync the temp file';
    fs.fsyncSync(fd);
    step = 'close the temp file';
    const open = fd;
    fd = undefined;
    fs.closeSync(open);
    step = `rename ${temp} over it`;
    fs.renameSync(temp, path);
  } catch (err) {
    if (fd !== undefined) ignoreErrors(() => fs.closeSync(fd as number));
    ignoreErrors(() => fs.rmSync(temp, { force: true }));
    throw writeError(op, path, step, err);
  }
  try {
    syncDirectory(dirname(path), fs);
  } catch (err) {
    // the new file is in place (a reader sees it), but a power loss could still undo the rename
    throw writeError(
      op,
      path,
      'fsync its directory after the rename (the new file is in place, but a power loss could undo it)',
      err,
    );
  }
}

/**
 * `mkdirSync(dir, { recursive: true })`, then fsyncs the parent of every directory it created, so
 * the new directories' names are on the disk before files inside them are written (a power loss
 * could otherwise lose the directory and every durably written file in it).
 * @throws ValueError naming `dir` if it cannot be created.
 */
export function makeDirectoryDurably(dir: string, op: string, fs: FileSystem = nodeFileSystem): void {
  try {
    const first = fs.mkdirSync(dir, { recursive: true }); // the topmost directory created, if any
    if (first === undefined) return;
    // fsync from the deepest new directory's parent up to the parent of the first one created
    const top = dirname(resolve(first));
    for (let d = resolve(dir); d !== top && d !== dirname(d); d = dirname(d)) syncDirectory(dirname(d), fs);
  } catch (err) {
    throw new ValueError(`${op}: cannot create the directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/** fsyncs a directory, so the renames and new names in it are on the disk (step 5). */
export function syncDirectory(dir: string, fs: FileSystem = nodeFileSystem): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (err) {
    if (isUnsupported(err)) return; // Windows: a directory cannot be opened as a file (EISDIR)
    throw err;
  }
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    // Windows opens it but refuses the fsync (EPERM); some file systems do not fsync directories
    // (EINVAL). Their metadata is journaled in order anyway, and there is nothing more to do.
    if (!isUnsupported(err)) throw err;
  } finally {
    fs.closeSync(fd);
  }
}

function isUnsupported(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL';
}

function writeError(op: string, path: string, step: string, err: unknown): ValueError {
  const code = (err as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC'
      ? ' (the disk is full)'
      : code === 'EACCES' || code === 'EPERM'
        ? ' (permission denied)'
        : code === 'EROFS'
          ? ' (a read-only file system)'
          : '';
  return new ValueError(`${op}: could not write ${path}: failed to ${step}${hint}: ${(err as Error).message}`, {
    cause: err,
  });
}

function ignoreErrors(f: () => void): void {
  try {
    f();
  } catch {
    // cleanup after a failure: the first error is the one to report
  }
}
