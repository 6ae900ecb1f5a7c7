import type { TypedArray } from '../../dtype';
import type { FusedActivation } from '../backend';
import type { Conv2DInfo } from '../conv2dInfo';
import { addTileSums, biasActivationBackward, tilePeriod } from './activation';
import {
  conv2dBackpropFilter,
  conv2dBackpropInput,
  convKernel,
  convSizes,
  TRANSPOSED_BELOW_CHANNELS,
  workCounter,
} from './conv2d';
import { GEOMETRY, heapF32, layout, workspace, writeGeometry } from './runtime';
import { runParallel } from './threads';

/**
 * Note [The fused conv backward in one residence]
 * fusedConv2d's backward is three kernels, and the middle value dpre = dy·act'(pre) [N, OH, OW, F]
 * links them: dbias = Σ dpre, dx = conv2dBackpropInput(dpre, w), dw = conv2dBackpropFilter(x, dpre).
 * Run one by one, dpre is copied out of wasm memory into a new array (allocated, zeroed, then
 * collected) and copied back in once per gradient. Here all three run on one layout:
 *     [geom dx][geom dw][dy → dpre: N·OH·OW·F][y (relu)][sums f32, f64][w][dx][x][dw parts][scratch]
 * dy goes in once and is turned into dpre in place; the two conv tasks read it there (each with
 * its own geometry block, since each task's work counter starts at 0); the threads' im2col
 * scratch is shared, as the tasks run one after the other. Same kernels, same order, same chunks
 * as the three calls (./activation.ts, ./conv2d.ts), so the same bits; anything they would send
 * to JavaScript (float64, the pointwise 1x1 case, memory that cannot grow) makes those calls.
 */
export function fusedConv2dBackward(
  dy: TypedArray,
  y: TypedArray,
  x: TypedArray,
  w: TypedArray,
  dx: TypedArray | null,
  dw: TypedArray | null,
  dbias: TypedArray | null,
  info: Conv2DInfo,
  activation: FusedActivation,
): void {
  const outputs = [dx, dw, dbias].filter((a): a is TypedArray => a !== null);
  const g = convKernel(info, dy, y, x, w, ...outputs);
  const { F, patch, rows, xLen, step, threads } = convSizes(info);
  const n = rows * F;
  const isRelu = activation === 'relu';
  const period = tilePeriod(F);
  // conv2dBackpropInput's units are whole images; conv2dBackpropFilter's are chunks of rows
  const rowsPerImage = info.outHeight * info.outWidth;
  const imagesPerUnit = Math.max(1, Math.floor(step / rowsPerImage));
  const inputParts = Math.min(threads, Math.ceil(info.batch / imagesPerUnit));
  const chunks = Math.ceil(rows / step);
  const filterParts = Math.min(threads, chunks);
  const scratch = Math.max(dx === null ? 0 : inputParts, dw === null ? 0 : filterParts) * step * patch;
  // biome-ignore format: the regions of the Note, in order
  const at = g && layout(
    g, GEOMETRY, GEOMETRY, n, isRelu ? n : 0, period, 2 * period, dx === null ? 0 : patch * F,
    dx === null ? 0 : xLen, dw === null ? 0 : xLen, dw === null ? 0 : chunks * patch * F, scratch,
  );
  if (g === null || at === null) {
    composed(dy, y, x, w, dx, dw, dbias, info, activation);
    return;
  }
  const [geomInAt, geomFilterAt, dyAt, yAt, sums32At, sums64At, wAt, dxAt, xAt, partsAt, scratchAt] = at as number[];
  const heap = heapF32();
  heap.set(dy.subarray(0, n), dyAt!);
  if (isRelu || dbias !== null) {
    if (isRelu) heap.set(y.subarray(0, n), yAt!);
    // dpre over dy, in place (assembly/activation.ts), with the bias sums
    // biome-ignore format: the kernel's argument order
    g.biasActivationBackward(
      dyAt! * 4, (isRelu ? yAt! : dyAt!) * 4, dyAt! * 4, sums32At! * 4, sums64At! * 4,
      n, period, isRelu ? 1 : 0, dbias === null ? 0 : 1,
    );
    if (dbias !== null) addTileSums(sums64At!, period, F, dbias);
  }
  if (dx !== null) {
    const geom = writeGeometry(geomInAt!, info);
    heap.set(w.subarray(0, patch * F), wAt!);
    heap.set(dx.subarray(0, xLen), dxAt!);
    // biome-ignore format: convBackpropInput's arguments
    runParallel(g, 'convBackpropInput', inputParts, (t) => [
      geom, dyAt! * 4, wAt! * 4, dxAt! * 4, (scratchAt! + t * step * patch) * 4,
      workCounter(geom), imagesPerUnit * rowsPerImage, step, workspace(g, t),
    ]);
    dx.set(heap.subarray(dxAt!, dxAt! + xLen));
  }
  if (dw !== null) {
    const geom = writeGeometry(geomFilterAt!, info);
    heap.set(x.subarray(0, xLen), xAt!);
    // biome-ignore format: convBackpropFilter's arguments
    runParallel(g, 'convBackpropFilter', filterParts, (t) => [
      geom, xAt! * 4, dyAt! * 4, partsAt! * 4, (scratchAt! + t * step * patch) * 4,
      workCounter(geom), step, workspace(g, t), info.inChannels < TRANSPOSED_BELOW_CHANNELS ? 1 : 0,
    ]);
    // dw += part[c] in chunk order, as conv2dBackpropFilter does
    const size = patch * F;
    for (let c = 0; c < chunks; c++) {
      const part = partsAt! + c * size;
      for (let i = 0; i < size; i++) dw[i] = dw[i]! + heap[part + i]!;
    }
  }
}

/** The three calls the Note replaces, for what stays in JavaScript. */
function composed(
  dy: TypedArray,
  y: TypedArray,
  x: TypedArray,
  w: TypedArray,
  dx: TypedArray | null,
  dw: TypedArray | null,
  dbias: TypedArray | null,
  info: Conv2DInfo,
  activation: FusedActivation,
): void {
  let dpre = dy;
  if (activation !== 'linear' || dbias !== null) {
    dpre = activation === 'linear' ? dy : new (dy.constructor as Float32ArrayConstructor)(dy.length);
    biasActivationBackward(dy, y, dpre, dbias, info.outChannels, activation);
  }
  if (dx !== null) conv2dBackpropInput(dpre, w, dx, info);
  if (dw !== null) conv2dBackpropFilter(x, dpre, dw, info);
}
