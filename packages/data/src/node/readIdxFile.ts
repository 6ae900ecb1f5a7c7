import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ValueError } from '@sinapse/tensor';
import { type IdxArray, parseIdx } from '../idx';

/**
 * Reads one IDX file from disk, raw or gzip-compressed (the way MNIST is usually downloaded).
 * Compression is recognised by the gzip signature 1f 8b at the start, not by the file name.
 *
 * @throws Error from node:fs if the file cannot be read; ValueError naming the file if it starts
 *   like gzip but does not gunzip, or (from {@link parseIdx}) if the content is not a valid IDX file.
 * @example
 * const { shape } = readIdxFile('data/t10k-labels-idx1-ubyte.gz');
 * shape; // [10000]
 */
export function readIdxFile(path: string): IdxArray {
  return parseIdx(readIdxBytes(path, 'readIdxFile'), { name: basename(path) });
}

/**
 * The uncompressed bytes of an IDX file, gunzipping if it starts with the gzip signature.
 * @param caller the function name that starts error messages. Default 'readIdxBytes'.
 * @throws ValueError naming the file if it starts like gzip but does not gunzip (a truncated
 *   download, say): `loadMnist: /dir/train-images-idx3-ubyte.gz is not a valid gzip file: unexpected end of file`.
 */
export function readIdxBytes(path: string, caller = 'readIdxBytes'): Uint8Array {
  const bytes = readFileSync(path);
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (err) {
    throw new ValueError(`${caller}: ${path} is not a valid gzip file: ${(err as Error).message}`);
  }
}
