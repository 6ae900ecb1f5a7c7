/**
 * @sinapse/interop/testing: the readers of this package as fuzz targets ('tfjs-layers', 'onnx') for a
 * fuzz harness (fast-check). Browser-safe. See fuzz.ts.
 */
export { createFuzzTargets, type FuzzCase, type FuzzTarget, fuzzTargets, type InteropFuzzTarget } from './fuzz';
