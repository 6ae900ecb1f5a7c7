import type { OpInfo } from '../opInfo';
import { cnnOpInfos } from './cnn';
import { depthwiseOpInfos } from './depthwise';
import { elementwiseOpInfos } from './elementwise';
import { matMulOpInfos } from './matMul';
import { reductionsOpInfos } from './reductions';
import { shapeOpInfos } from './shape';
import { upsampleOpInfos } from './upsample';

/** Every op's test description; see Note [OpInfos]. */
export const opInfos: OpInfo[] = [
  ...elementwiseOpInfos,
  ...shapeOpInfos,
  ...reductionsOpInfos,
  ...matMulOpInfos,
  ...cnnOpInfos,
  ...depthwiseOpInfos,
  ...upsampleOpInfos,
];
