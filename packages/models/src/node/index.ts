/**
 * @sinapse/models/node: saving and loading models as files (Node only; the core package stays
 * free of Node modules so it runs in browsers).
 */
export { writeFileDurably } from './durableWrite';
export { loadModel, type SaveOptions, save } from './save';
