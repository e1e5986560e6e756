// Throughput of a running local runner (./mandate serve), loopback only, bounded in requests and time.
//
//   node benchmarks/load/load.mjs --url http://127.0.0.1:18400 --app <id> --secret <secret> --pid <server pid>
//        [--concurrency 8] [--window 2000] [--measure 6000] [--max-requests 300000] [--max-seconds 600]
//
// 1. creates an ownerless wallet;
// 2. warm-up: personal_sign in windows of --window requests until the server's CPU per request
//    (utime+stime of --pid from /proc, so JIT and GC threads count) stops falling: two windows in a
//    row within 3 % of the best window so far;
// 3. measures --measure signatures: requests/s, latency p50/p99, server CPU per signature;
// 4. after one --window of them to warm that path, measures --measure requests refused at
//    authentication (wrong secret, 401) the same way.
// Prints one JSON object. Node 20, no dependencies.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const url = new URL(args.url ?? 'http://127.0.0.1:8080');
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
  throw new Error('loopback only: ' + url.hostname);
}
const pid = Number(args.pid);
const concurrency = Number(args.concurrency ?? 8);
const windowSize = Number(args.window ?? 2000);
const measureCount = Number(args.measure ?? 6000);
const maxRequests = Number(args['max-requests'] ?? 300000);
const deadline = Date.now() + 1000 * Number(args['max-seconds'] ?? 600);
const clockTicks = 100; // CLK_TCK on Linux
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let sent = 0;

const auth = (secret) => 'Basic ' + Buffer.from(`${args.app}:${secret}`).toString('base64');
const message = JSON.stringify({ method: 'personal_sign', params: { message: 'load', encoding: 'utf-8' } });

function request(path, body, secret) {
  sent++;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', agent, headers: {
      'content-type': 'application/json', 'privy-app-id': args.app, authorization: auth(secret),
      'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString(),
        micros: Number(process.hrtime.bigint() - started) / 1000 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function serverCpuSeconds() {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime, stime
}

async function run(count, path, body, secret, expect) {
  const latencies = [];
  let next = 0;
  const cpu0 = serverCpuSeconds();
  const t0 = process.hrtime.bigint();
  async function worker() {
    while (next < count && sent < maxRequests && Date.now() < deadline) {
      next++;
      const r = await request(path, body, secret);
      if (r.status !== expect) {
        throw new Error(`expected ${expect}, got ${r.status} ${r.body}`);
      }
      latencies.push(r.micros);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = serverCpuSeconds() - cpu0;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] / 1000;
  return { requests: latencies.length, requestsPerSecond: +(latencies.length / seconds).toFixed(1),
    p50Ms: +at(0.5).toFixed(2), p99Ms: +at(0.99).toFixed(2),
    serverCpuMsPerRequest: +((cpu * 1000) / latencies.length).toFixed(3) };
}

const created = await request('/v1/wallets', JSON.stringify({ chain_type: 'ethereum' }), args.secret);
if (created.status !== 200) {
  throw new Error('wallet creation failed: ' + created.body);
}
const rpc = `/v1/wallets/${JSON.parse(created.body).id}/rpc`;

const warmup = [];
let best = Infinity;
let flat = 0;
while (flat < 2 && sent < maxRequests && Date.now() < deadline) {
  const w = await run(windowSize, rpc, message, args.secret, 200);
  warmup.push(w.serverCpuMsPerRequest);
  flat = w.serverCpuMsPerRequest >= 0.97 * best ? flat + 1 : 0;
  best = Math.min(best, w.serverCpuMsPerRequest);
}
await run(windowSize, rpc, message, 'wrong-secret', 401); // the refusal path warms up too
const signed = await run(measureCount, rpc, message, args.secret, 200);
const refused = await run(measureCount, rpc, message, 'wrong-secret', 401);
console.log(JSON.stringify({ concurrency, warmupWindows: warmup.length, warmupCpuMsPerRequest: warmup,
  warm: flat >= 2, signed, refusedAtAuthentication: refused, totalRequests: sent }, null, 1));
agent.destroy();
