import type { OpInfo } from '../opInfo';

export const matMulOpInfos: OpInfo[] = [];
