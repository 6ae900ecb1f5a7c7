import type { OpInfo } from '../opInfo';

export const shapeOpInfos: OpInfo[] = [];
