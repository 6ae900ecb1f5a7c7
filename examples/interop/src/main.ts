/**
 * pnpm interop (from the repository root): both directions, written to examples/interop/out.
 *   1. onnx.ts: LeNet-5 trained in Sinapse, run by ONNX Runtime;
 *   2. tfjs.ts: a CNN trained in TF.js, loaded, fine-tuned and handed back.
 */
import { fileURLToPath } from 'node:url';
import { onnxDemo } from './onnx';
import { tfjsDemo } from './tfjs';

const out = fileURLToPath(new URL('../out', import.meta.url));
console.log('== Sinapse → ONNX Runtime ==');
await onnxDemo({ out });
console.log('\n== TF.js → Sinapse → TF.js ==');
await tfjsDemo({ out });
