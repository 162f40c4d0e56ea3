'use strict';
// Node.js dgram subject of the jdgram benchmark: the same modes and line protocol as the Java
// subjects (dev.jdgram.bench.subject.*). Prints "READY k=v..." once set up; reads "MARK" (the
// measured window starts) and "STOP" (it ends: prints "RESULT k=v..." and exits) on stdin; exits
// when stdin ends, so it never outlives the orchestrator.
//
// Modes: recv | scale sockets=N portsFile=F | send port=P size=S window=W | echo |
//        ping port=P size=64 warmup=N count=N | coldstart [port=P]
const dgram = require('node:dgram');
const fs = require('node:fs');
const readline = require('node:readline');

const LOOPBACK = '127.0.0.1';
const mode = process.argv[2];
const params = {};
for (const arg of process.argv.slice(3)) {
  const eq = arg.indexOf('=');
  if (eq <= 0) fail(`expected key=value, got '${arg}'`);
  params[arg.slice(0, eq)] = arg.slice(eq + 1);
}
const int = (key, fallback) => (key in params ? Number.parseInt(params[key], 10) : fallback);

function fail(why) {
  process.stderr.write(`subject failed: ${why}\n`);
  process.exit(2);
}

function line(text) {
  // Synchronous, so the line is out before a following process.exit().
  fs.writeSync(1, text + '\n');
}

// Counters of the measured window.
let count = 0;
let bytes = 0;
let count0 = 0;
let bytes0 = 0;
let t0 = 0n;
let extra = () => '';

function serve() {
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (cmd) => {
    cmd = cmd.trim();
    if (cmd === 'MARK') {
      count0 = count;
      bytes0 = bytes;
      t0 = process.hrtime.bigint();
    } else if (cmd === 'STOP') {
      const nanos = process.hrtime.bigint() - t0;
      line(`RESULT count=${count - count0} bytes=${bytes - bytes0} nanos=${nanos} alloc=-1${extra()}`);
      process.exit(0);
    }
  });
  rl.on('close', () => process.exit(0));
}

function socket() {
  const s = dgram.createSocket('udp4');
  s.on('error', (err) => fail(`socket error: ${err.stack || err}`));
  return s;
}

function receive(sockets, portsFile) {
  const all = [];
  let pending = sockets;
  const onMessage = (msg) => {
    count++;
    bytes += msg.length;
  };
  for (let i = 0; i < sockets; i++) {
    const s = socket();
    s.on('message', onMessage);
    all.push(s);
    s.bind(int('port', 0), LOOPBACK, () => {
      if (--pending === 0) {
        const ports = all.map((x) => x.address().port);
        if (portsFile) fs.writeFileSync(portsFile, ports.join('\n') + '\n');
        line(`READY port=${ports[0]} sockets=${ports.length}`);
        serve();
      }
    });
  }
}

function send() {
  const port = int('port', 0);
  const size = int('size', 64);
  const window = int('window', 128);
  const payload = Buffer.alloc(size, 'x');
  const s = socket();
  let inFlight = 0;
  let errors = 0;
  const done = (err) => {
    inFlight--;
    if (err) errors++;
    else {
      count++;
      bytes += size;
    }
  };
  // Refill the window from setImmediate: calling send() from the previous send's callback starves
  // Node's event loop (NETTY-NOTES), this is how Node reaches its best send rate.
  const refill = () => {
    while (inFlight < window) {
      inFlight++;
      s.send(payload, port, LOOPBACK, done);
    }
    setImmediate(refill);
  };
  extra = () => ` errors=${errors}`;
  s.bind(0, LOOPBACK, () => {
    line(`READY port=${s.address().port}`);
    serve();
    refill();
  });
}

function echo() {
  const s = socket();
  s.on('message', (msg, rinfo) => s.send(msg, rinfo.port, rinfo.address));
  s.bind(0, LOOPBACK, () => {
    line(`READY port=${s.address().port}`);
    serve();
  });
}

function ping() {
  const port = int('port', 0);
  const size = Math.max(8, int('size', 64));
  const warmup = int('warmup', 20000);
  const total = warmup + int('count', 100000);
  const samples = new BigInt64Array(total - warmup);
  let n = 0;
  let seq = 0;
  let sentAt = 0n;
  let resent = false;
  let lost = 0;
  let lastSeen = -1;
  const s = socket();
  const sendCurrent = () => {
    const buf = Buffer.alloc(size);
    buf.writeBigInt64BE(BigInt(seq), 0);
    sentAt = process.hrtime.bigint();
    s.send(buf, port, LOOPBACK);
  };
  s.on('message', (msg) => {
    if (msg.length < 8 || msg.readBigInt64BE(0) !== BigInt(seq)) return;
    const rtt = process.hrtime.bigint() - sentAt;
    if (seq >= warmup && !resent) samples[n++] = rtt;
    seq++;
    resent = false;
    if (seq >= total) {
      const sorted = samples.slice(0, n).sort();
      const q = (p) => {
        if (n === 0) return '0';
        const rank = Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));
        return (Number(sorted[rank]) / 1000).toFixed(2);
      };
      line(`RESULT p50=${q(0.5)} p99=${q(0.99)} p999=${q(0.999)} n=${n} lost=${lost}`);
      process.exit(0);
    }
    sendCurrent();
  });
  // Watchdog: a round trip lost on the way is sent again, counted as lost and not measured.
  setInterval(() => {
    if (seq === lastSeen) {
      lost++;
      resent = true;
      sendCurrent();
    }
    lastSeen = seq;
  }, 200).unref();
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  s.bind(0, LOOPBACK, sendCurrent);
}

// The cost of the process's first socket, createSocket to 'listening', of a second one, and of the
// first send (to the second socket, or with port=P there, as a one-shot send does).
function coldstart() {
  const ms = (ns) => (Number(ns) / 1e6).toFixed(3);
  const t0 = process.hrtime.bigint();
  const first = socket();
  first.bind(0, LOOPBACK, () => {
    const t1 = process.hrtime.bigint();
    const second = socket();
    second.bind(0, LOOPBACK, () => {
      const t2 = process.hrtime.bigint();
      const port = int('port', 0) > 0 ? int('port', 0) : second.address().port;
      first.send('hi', port, LOOPBACK, (err) => {
        if (err) fail(`first send failed: ${err}`);
        const t3 = process.hrtime.bigint();
        line(`RESULT listening_ms=${ms(t1 - t0)} second_ms=${ms(t2 - t1)} send_ms=${ms(t3 - t2)}`);
        process.exit(0);
      });
    });
  });
}

switch (mode) {
  case 'recv':
    receive(1, null);
    break;
  case 'scale':
    receive(int('sockets', 10000), params.portsFile);
    break;
  case 'send':
  case 'sendmany':
    send();
    break;
  case 'echo':
    echo();
    break;
  case 'ping':
    ping();
    break;
  case 'coldstart':
    coldstart();
    break;
  default:
    fail(`unsupported mode ${mode}`);
}
