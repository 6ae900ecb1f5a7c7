import { listBackends, registerBackend, setBackend } from './backend';
import { cpuBackend } from './cpu/index';
import { referenceBackend } from './reference/index';
import { loadWasmSync, wasmBackend } from './wasm/index';

registerBackend(cpuBackend);
registerBackend(referenceBackend);
// 'wasm' exists only where WebAssembly with SIMD does and the module compiled synchronously
// (Node 20+, current browsers); it is then the default, about 2x faster than 'cpu' at LeNet-5
// training. Otherwise 'cpu' is, and `await initWasm()` can still add 'wasm' later (wasm/index.ts).
if (loadWasmSync()) registerBackend(wasmBackend);
setBackend(listBackends().includes('wasm') ? 'wasm' : 'cpu');

export { type Backend, findBackend, getBackend, listBackends, registerBackend, setBackend } from './backend';
export { type Conv2DInfo, computeConv2DInfo, type Padding } from './conv2dInfo';
export { initWasm, wasmSimdSupported } from './wasm/index';
export { getNumThreads, type SpawnWorker, startThreads, stopThreads, useWebWorkers } from './wasm/threads';
