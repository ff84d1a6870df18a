// Profiling harness: what one keystroke costs the engine on a generated file.
//   node --import tsx scripts/profile-edits.ts <python|typescript|yaml|dockerfile> [lines] [edits]
//   add --cpu-prof to node's flags to see where the time goes.
import { performance } from 'node:perf_hooks';
import { Engine, initEngine } from '../server/engine/engine';
import { generated } from './benchCorpus';

const [kind = 'python', linesArg = '5000', editsArg = '200'] = process.argv.slice(2);
const names: Record<string, string> = { python: 'app.py', typescript: 'app.ts', yaml: 'deploy.yaml', dockerfile: 'Dockerfile' };

async function main(): Promise<void> {
  await initEngine();
  const engine = new Engine();
  const lines = Number(linesArg);
  let text = generated(kind as 'python', lines);
  const file = `/tmp/profile/${names[kind]}`;
  const key = `file://${file}`;
  engine.analyze({ path: file, text, documentKey: key });
  const rows = text.split('\n');
  const target = Math.floor(lines / 2);
  let offset = rows.slice(0, target).reduce((s, r) => s + r.length + 1, 0) + rows[target].length;
  const samples: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (let i = 0; i < Number(editsArg); i++) {
    text = text.slice(0, offset) + ' ' + text.slice(offset);
    offset++;
    const t = performance.now();
    const c = process.cpuUsage();
    const a = engine.analyze({ path: file, text, documentKey: key });
    samples.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    findings = a.findings.length;
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`${kind} ${lines} lines: p50 ${samples[samples.length >> 1].toFixed(1)} ms, p95 ${samples[Math.floor(samples.length * 0.95)].toFixed(1)} ms (CPU p50 ${cpu[cpu.length >> 1].toFixed(1)} ms), ${findings} findings`);
}
void main();
