import type { OpInfo } from '../opInfo';

export const cnnOpInfos: OpInfo[] = [];
