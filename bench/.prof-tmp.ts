import * as fs from 'fs';
import { benchOutdir, buildGovernedApp } from './governed-app';
const n = Number(process.argv[2] ?? 300);
for (let i = 0; i < 2; i++) {
  const dir = benchOutdir();
  const t = process.cpuUsage();
  buildGovernedApp(n, dir).app.synth();
  const u = process.cpuUsage(t);
  console.log('run', i, (u.user + u.system) / 1000);
  fs.rmSync(dir, { recursive: true, force: true });
}
