import { Buffer } from 'node:buffer';
// Closed-loop HTTP load generator, run in a worker thread so the server under test keeps the
// main thread to itself (as it would in production, where Feishu is not in our process).
// One thread serves every run of a bench process (a message per run), so that its own code
// is warm: a fresh thread per run spent its first second compiling, and its slowness showed
// up as the servers' latency.
// Plain JavaScript: worker threads do not inherit tsx's loader on Node 20.
import http from 'node:http';
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

async function run({ port, path, requests, concurrency, maxDurationMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(requests.length);
  let done = 0;
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + maxDurationMs;

  function one(req) {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const r = http.request({ agent, host: '127.0.0.1', port, path, method: 'POST', headers: req.headers }, (res) => {
        if (res.statusCode !== 200) failures += 1;
        res.resume();
        res.on('end', () => {
          latencies[done++] = performance.now() - t0;
          resolve();
        });
      });
      r.on('error', reject);
      r.end(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength));
    });
  }

  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length && performance.now() < deadline) await one(requests[next++]);
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latencies: latencies.slice(0, done), elapsedMs, failures };
}

parentPort.on('message', (job) => {
  run(job).then(
    (result) => parentPort.postMessage({ ok: true, result }),
    (err) => parentPort.postMessage({ ok: false, error: String(err?.stack ?? err) }),
  );
});
