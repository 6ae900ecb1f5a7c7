import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type IdxArray, parseIdx } from '../idx';

/**
 * Reads one IDX file from disk, raw or gzip-compressed (the way MNIST is usually downloaded).
 * Compression is recognised by the gzip signature 1f 8b at the start, not by the file name.
 *
 * @throws Error from node:fs if the file cannot be read; ValueError from {@link parseIdx} if the
 *   content is not a valid IDX file (the message names the file).
 * @example
 * const { shape } = readIdxFile('data/t10k-labels-idx1-ubyte.gz');
 * shape; // [10000]
 */
export function readIdxFile(path: string): IdxArray {
  return parseIdx(readIdxBytes(path), { name: basename(path) });
}

/** The uncompressed bytes of an IDX file, gunzipping if it starts with the gzip signature. */
export function readIdxBytes(path: string): Uint8Array {
  const bytes = readFileSync(path);
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}
