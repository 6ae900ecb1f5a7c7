/**
 * The 'wasm' backend: the matrix product runs in WebAssembly with 128-bit SIMD, and so does conv2d
 * (im2col + GEMM, Note [Running the wasm conv2d from JS] below). The kernel sources are
 * assembly/gemm.ts and assembly/conv2d.ts (AssemblyScript); read their Notes [WASM SGEMM: the same
 * algorithm, four lanes at a time] and [WASM im2col and col2im].
 *
 * The pieces: ./runtime.ts loads the module and manages its memory; ./matMul.ts and ./conv2d.ts
 * are the kernels' JS sides.
 */
import { type Backend, registerBackend } from '../backend';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from '../cpu/depthwiseConv2d';
import { biasActivation, biasActivationBackward, relu, reluBackward } from './activation';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, fusedConv2d } from './conv2d';
import { fusedConv2dBackward } from './fusedConvBackward';
import { matMul } from './matMul';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool2d';
import {
  globalWasm,
  instantiate,
  usePrivateInstance,
  type WasmApi,
  wasmBytes,
  wasmKernel,
  wasmSimdSupported,
} from './runtime';

export { loadWasmSync, type WasmApi, wasmSimdSupported } from './runtime';

/**
 * Loads the kernel asynchronously and registers the 'wasm' backend (it does not activate it:
 * call setBackend('wasm')). For browsers that refuse the synchronous compile at import time.
 * Resolves to false when WebAssembly SIMD is unavailable; the other backends keep working.
 *
 * @example
 * if (await initWasm()) setBackend('wasm');
 */
export async function initWasm(api: WasmApi | null = globalWasm()): Promise<boolean> {
  if (wasmKernel() === null) {
    if (api === null || !wasmSimdSupported(api)) return false;
    usePrivateInstance(await instantiate(api, await api.compile(wasmBytes()), {}));
  }
  registerBackend(wasmBackend);
  return true;
}

export const wasmBackend: Backend = {
  name: 'wasm',
  matMul,
  conv2d,
  fusedConv2d,
  // fusedConv2d's backward with dpre kept in wasm memory (Note [The fused conv backward in one residence])
  fusedConv2dBackward,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  // the depthwise kernels are JavaScript's (Note [Depthwise convolution is memory bound]): no wasm version yet
  depthwiseConv2d,
  depthwiseConv2dBackpropInput,
  depthwiseConv2dBackpropFilter,
  // the pools: four channels per SIMD step, branchless max (Note [Running the wasm pools from JS])
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  // relu and the fused bias + activation: SIMD lanes, no branches (Note [Running the wasm activations from JS])
  relu,
  reluBackward,
  biasActivation,
  biasActivationBackward,
};
