/** The targets of this repository's readers; other packages' targets of the same shape can be added to the list. */
import type { FuzzTarget } from '../target';
import { idxTarget } from './idx';
import { layerConfigTarget } from './layerConfig';
import { sinapseModelTarget } from './sinapseModel';

export const targets: readonly FuzzTarget[] = [sinapseModelTarget, idxTarget, layerConfigTarget];
