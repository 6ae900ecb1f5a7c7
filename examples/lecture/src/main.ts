// pnpm lecture: prints the lecture's pooling examples computed by Sinapse.
import { runLecture } from './lecture';

console.log(runLecture());
