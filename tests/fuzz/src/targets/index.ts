/**
 * The formats under fuzz: this repository's own readers (the Sinapse model folder, IDX, layer configs),
 * and the targets @sinapse/interop exports for its readers (TF.js Layers model.json + shards, ONNX), which
 * follow the same contract (../target.ts) without importing it.
 */
import { fuzzTargets as interopTargets } from '@sinapse/interop/testing';
import type { FuzzTarget } from '../target';
import { idxTarget } from './idx';
import { layerConfigTarget } from './layerConfig';
import { sinapseModelTarget } from './sinapseModel';

export const targets: readonly FuzzTarget[] = [sinapseModelTarget, idxTarget, layerConfigTarget, ...interopTargets];
