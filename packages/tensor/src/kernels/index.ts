import { registerBackend, setBackend } from './backend';
import { cpuBackend } from './cpu/index';
import { referenceBackend } from './reference/index';

registerBackend(cpuBackend);
registerBackend(referenceBackend);
setBackend('cpu');

export { type Backend, findBackend, getBackend, listBackends, registerBackend, setBackend } from './backend';
export { type Conv2DInfo, computeConv2DInfo, type Padding } from './conv2dInfo';
