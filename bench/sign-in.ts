// Sign-in cost: the password compare (bcryptjs, via the app's verifyPassword) at the chosen cost and beside it.
import { hashPassword, verifyPassword } from '../app/core/access/password.server';
import { fmtMs, summarize, table } from './stats';

export async function benchSignIn(opts: { chosenCost: number; runs: number; log: (s: string) => void }) {
  const costs = [...new Set([4, opts.chosenCost, 12])].sort((a, b) => a - b);
  const rows: Array<Array<string | number>> = [];
  for (const cost of costs) {
    const hash = await hashPassword('demo-pass-2026', cost);
    await verifyPassword('demo-pass-2026', hash); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const right = i % 2 === 1;
      const t = performance.now();
      const ok = await verifyPassword(right ? 'demo-pass-2026' : 'wrong-pass-2026', hash);
      ms.push(performance.now() - t);
      if (ok !== right) throw new Error('bench: verifyPassword gave the wrong answer');
    }
    const s = summarize(ms);
    const note = cost === opts.chosenCost ? 'chosen (BCRYPT_COST)' : cost < 10 ? 'below ASVS 5.0 minimum' : '';
    rows.push([cost, note, s.n, fmtMs(s.p50), fmtMs(s.p95), fmtMs(s.mean), (1000 / s.mean).toFixed(1)]);
    opts.log(`  bcrypt cost ${cost}: p50 ${fmtMs(s.p50)} ms`);
  }
  const markdown = [
    '### Sign-in cost (bcryptjs compare)',
    '',
    'verifyPassword (bcryptjs.compare, pure JS) on the main thread, alternating right and wrong passwords (same cost either way). ' +
      'OWASP ASVS 5.0 (appendix C) sets the bcrypt minimum at cost 10; production refuses BCRYPT_COST < 10. ' +
      'The compare runs on the event loop (bcryptjs yields between rounds, but the CPU is busy), so "per second" is the ceiling for one process on one core.',
    '',
    table(['cost', 'note', 'n', 'p50 ms', 'p95 ms', 'mean ms', 'compares/s per core'], rows),
  ].join('\n');
  return { markdown };
}
