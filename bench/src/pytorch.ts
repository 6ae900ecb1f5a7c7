/**
 * PyTorch as the native reference: runs bench/pytorch/lenet.py (the same kernels and LeNet-5, timed
 * by the same rules as timing.ts) in a child process and reads the JSON it prints. Optional: when
 * no Python with torch is found the bench says so in one line and goes on without PyTorch columns.
 *
 * The interpreter is the first of: $BENCH_PYTHON (set it to 'none' to skip PyTorch), `python3` on
 * the PATH, and /usr/bin/python3, that can `import torch`. The last is there because Debian's
 * python3-torch installs for the system Python, which a pyenv or virtualenv `python3` hides.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTORCH_INSTALL_HINT =
  'apt-get install python3-torch (Debian/Ubuntu; plus libopenblas0-openmp for a fast BLAS), or pip install torch';

/** One cell of lenet.py's output: a rate (GFLOP/s or examples/s) and its timing. */
export interface PyTorchCell {
  gflops?: number;
  examplesPerSecond?: number;
  medianMs: number;
  reps: number;
}

export interface PyTorchResults {
  torch: string;
  python: string;
  executable: string;
  /** The BLAS library the process loaded (torch.mm's sgemm), from /proc/self/maps. */
  blas: string | null;
  mkldnn: boolean;
  defaultThreads: number;
  /** PASSIVE unless the environment set it (see lenet.py's docstring). */
  ompWaitPolicy: string;
  /** By thread count ('1', '2'): the cells by case key (matMul256, conv1FwdBwd, lenetTrain...). */
  results: Record<string, { numThreads: number; cells: Record<string, PyTorchCell> }>;
}

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'pytorch', 'lenet.py');

/** The first interpreter that can import torch, or null. */
export function findPython(): string | null {
  const fromEnv = process.env.BENCH_PYTHON;
  if (fromEnv === 'none') return null;
  const candidates = fromEnv ? [fromEnv] : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (probe.status === 0) return python;
  }
  return null;
}

/** Runs lenet.py with `python` (progress lines go to this process's stderr). */
export function runPyTorch(python: string, threads: number[] = [1, 2]): PyTorchResults {
  const run = spawnSync(python, [SCRIPT, '--threads', threads.join(',')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    timeout: 10 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${python} ${SCRIPT} exited with ${run.status ?? run.signal}`);
  return JSON.parse(run.stdout) as PyTorchResults;
}

/** True when torch.mm runs on the netlib reference BLAS (Debian's libblas3), which is slow. */
export function onReferenceBlas(results: PyTorchResults): boolean {
  return results.blas !== null && /\/blas\/libblas\.so/.test(results.blas);
}
