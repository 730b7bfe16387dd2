// pg_multi.mjs - pg-multi (issue 14): the time from a write on one helhed
// instance to the search on another, on one PostgreSQL database.
//
// Two instances (A, B) on a throwaway cluster (tests/pg/multi_lib.mjs).
// For each of N articles (HELHED_BENCH_N, default 200), each with a word
// of its own, an editor writes it on A (POST /api/v1/articles); from the
// moment A acknowledges the write, B is searched for the word in a tight
// loop until the article is among the results. Printed: p50, p90, p99 and
// the largest of that time, and beside it the write's own round trip
// and a search's round trip on B (what the polling adds at most), so the
// figure can be read as "the notice and the index update" on top of
// those. A benchmark prints figures; it asserts nothing.
//
// Usage: node bench/pg_multi.mjs   (make bench-pg-multi)
import { Setup, http, now, staffLogin, uniqueWord, writeArticle, finds } from '../tests/pg/multi_lib.mjs';

const N = Number(process.env.HELHED_BENCH_N || 200);

function pct(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

function line(name, v) {
  const s = [...v].sort((a, b) => a - b);
  const f = (x) => x.toFixed(1).padStart(8);
  console.log(`${name.padEnd(44)} ${f(pct(s, 50))} ${f(pct(s, 90))} ${f(pct(s, 99))} ${f(s[s.length - 1])}`);
}

async function main() {
  const s = new Setup();
  try {
    s.startCluster();
    const A = await s.startInstance(0);
    const B = await s.startInstance(1);
    const editor = await staffLogin(A.base, 'redaktoer@nordskov.demo', 'demo-redaktoer');
    const visible = [];
    const writes = [];
    const searches = [];
    let lost = 0;
    for (let i = 0; i < N; i++) {
      const word = uniqueWord();
      const slug = `bench-${i}-${word}`;
      const w = await writeArticle(A.base, editor, word, slug);
      const acked = now();
      if (w.status !== 201) throw new Error(`write ${i}: ${w.status} ${w.text}`);
      writes.push(w.ms);
      for (;;) {
        const t0 = now();
        const hit = await finds(B.base, word, slug);
        searches.push(now() - t0);
        if (hit) { visible.push(now() - acked); break; }
        if (now() - acked > 10000) { lost++; break; }
      }
    }
    console.log(`pg-multi: ${N} articles written on A, each searched for on B until found`);
    console.log(`(ms; ${process.env.HELHED_BENCH_NOTE || 'two helhed instances and PostgreSQL 15 on this machine'})`);
    console.log(`${''.padEnd(44)} ${'p50'.padStart(8)} ${'p90'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`);
    line('write on A acknowledged -> found on B', visible);
    line('the write on A (round trip)', writes);
    line('one search on B (round trip)', searches);
    console.log(`not found within 10 s: ${lost}`);
  } finally {
    s.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
