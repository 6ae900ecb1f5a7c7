import type { OpInfo } from '../opInfo';

export const reductionsOpInfos: OpInfo[] = [];
