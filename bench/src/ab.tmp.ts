import { throughputCases } from './lenet';

// per-run CPU time (user+system of this process, microseconds), min and median over many runs
for (const key of (process.env.AB_CASES ?? 'lenetTrain,lenetPredict').split(',')) {
  const c = throughputCases.find((t) => t.pytorch === key)!;
  const p = c.prepare('sinapse-wasm');
  for (let i = 0; i < 10; i++) p.run();
  const cpu: number[] = [];
  const wall: number[] = [];
  const reps = key === 'lenetTrain' ? 60 : 20;
  for (let i = 0; i < reps; i++) {
    const u = process.cpuUsage();
    const t = performance.now();
    p.run();
    const d = process.cpuUsage(u);
    wall.push(performance.now() - t);
    cpu.push((d.user + d.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  console.log(
    `${key}: cpu min ${cpu[0]!.toFixed(2)} med ${cpu[reps >> 1]!.toFixed(2)} ms; wall min ${wall[0]!.toFixed(2)} med ${wall[reps >> 1]!.toFixed(2)} ms -> ${((c.examples / wall[0]!) * 1000).toFixed(0)} ex/s best`,
  );
}
