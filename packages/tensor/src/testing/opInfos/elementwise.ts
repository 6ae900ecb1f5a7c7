import type { OpInfo } from '../opInfo';

export const elementwiseOpInfos: OpInfo[] = [];
