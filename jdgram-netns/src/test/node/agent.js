'use strict';
// Node's node:dgram behind the line protocol of dev.jdgram.netns.HostAgent (see its javadoc), so
// that a test drives Node and jdgram with the same commands and compares what they do.
// Bursts use the same checksummed datagrams as dev.jdgram.netns.Burst.

const dgram = require('node:dgram');
const crypto = require('node:crypto');
const readline = require('node:readline');

const SIZE = 512;
const DIGEST = 32;
const PAYLOAD = SIZE - 4 - DIGEST;

const sockets = new Map();
const tallies = new Map();

function emit(line) {
  process.stdout.write(line + '\n');
}

function dash(v) {
  return v === undefined || v === null || v === '' ? '-' : String(v);
}

function error(e) {
  return [dash(e.code), dash(e.errno), dash(e.syscall), dash(e.address), dash(e.port), e.message]
    .join(' ');
}

function datagram(seq) {
  const b = Buffer.alloc(SIZE);
  b.writeUInt32BE(seq, 0);
  for (let i = 0; i < PAYLOAD; i++) {
    b[4 + i] = (seq * 31 + i * 7) & 0xff;
  }
  crypto.createHash('sha256').update(b.subarray(0, SIZE - DIGEST)).digest().copy(b, SIZE - DIGEST);
  return b;
}

function tally() {
  const seen = new Set();
  const t = { received: 0, corrupt: 0, duplicates: 0, seen };
  t.add = (msg) => {
    t.received++;
    if (msg.length !== SIZE) {
      t.corrupt++;
      return;
    }
    const seq = msg.readUInt32BE(0);
    if (!datagram(seq).equals(msg)) {
      t.corrupt++;
    } else if (seen.has(seq)) {
      t.duplicates++;
    } else {
      seen.add(seq);
    }
  };
  t.summary = () => `${t.received} ${seen.size} ${t.corrupt} ${t.duplicates}`;
  return t;
}

function socket(id) {
  const s = sockets.get(id);
  if (!s) throw new Error('no socket ' + id);
  return s;
}

function sent(id, tag) {
  return (err, bytes) =>
    emit(err ? `ev ${id} senderr ${tag} ${error(err)}` : `ev ${id} sent ${tag} ${bytes}`);
}

function burstSend(id, s, count, port, address, batch, pauseMillis) {
  let next = 0;
  let done = 0;
  let errors = 0;
  let first = '-';
  const onSent = (err) => {
    if (err && errors++ === 0) first = error(err);
    if (++done === count) emit(`ev ${id} burstsent ${done} ${errors} ${first}`);
  };
  const sendBatch = () => {
    const end = Math.min(count, next + batch);
    for (; next < end; next++) s.send(datagram(next), port, address, onSent);
    if (next < count) setTimeout(sendBatch, pauseMillis);
  };
  sendBatch();
}

function closeAll(then) {
  let open = 0;
  for (const s of sockets.values()) {
    open++;
    try {
      s.close(() => {
        if (--open === 0) then();
      });
    } catch (e) {
      if (--open === 0) then();
    }
  }
  sockets.clear();
  tallies.clear();
  if (open === 0) then();
}

function command(w, reply) {
  const [cmd, id] = [w[1], w[2]];
  const n = (i) => Number(w[i]);
  switch (cmd) {
    case 'closeall':
      closeAll(() => reply(''));
      return;
    case 'quit':
      closeAll(() => {
        reply('');
        process.exit(0);
      });
      return;
    case 'create': {
      const options = { type: w[3] };
      for (const kv of w.slice(4)) {
        const [k, v] = kv.split('=');
        if (k === 'buf') {
          options.recvBufferSize = Number(v);
          options.sendBufferSize = Number(v);
        } else if (k === 'reuse') {
          options.reuseAddr = true;
        } else {
          throw new Error('unknown option ' + kv);
        }
      }
      const s = dgram.createSocket(options);
      s.on('listening', () => emit(`ev ${id} listening ${s.address().address} ${s.address().port}`));
      s.on('close', () => emit(`ev ${id} close`));
      s.on('connect', () => emit(`ev ${id} connect`));
      s.on('error', (err) => emit(`ev ${id} error ${error(err)}`));
      s.on('message', (msg, rinfo) => {
        const t = tallies.get(id);
        if (t) {
          t.add(msg);
          return;
        }
        const hex = msg.length === 0 ? '-' : msg.toString('hex');
        emit(`ev ${id} message ${hex} ${rinfo.address} ${rinfo.family} ${rinfo.port} ${rinfo.size}`);
      });
      sockets.set(id, s);
      break;
    }
    case 'bind':
      if (w.length > 4) socket(id).bind(n(3), w[4]);
      else socket(id).bind(n(3));
      break;
    case 'connect':
      socket(id).connect(n(3), w[4], (err) =>
        emit(`ev ${id} connectcb ${err ? error(err) : 'ok'}`));
      break;
    case 'disconnect':
      socket(id).disconnect();
      break;
    case 'send':
      socket(id).send(Buffer.from(w[3], 'hex'), n(4), w[5], sent(id, w[6]));
      break;
    case 'sendc':
      socket(id).send(Buffer.from(w[3], 'hex'), sent(id, w[4]));
      break;
    case 'addm':
      socket(id).addMembership(...w.slice(3));
      break;
    case 'dropm':
      socket(id).dropMembership(...w.slice(3));
      break;
    case 'addssm':
      socket(id).addSourceSpecificMembership(...w.slice(3));
      break;
    case 'dropssm':
      socket(id).dropSourceSpecificMembership(...w.slice(3));
      break;
    case 'broadcast':
      socket(id).setBroadcast(w[3] === '1');
      break;
    case 'ttl':
      reply(String(socket(id).setTTL(n(3))));
      return;
    case 'mttl':
      reply(String(socket(id).setMulticastTTL(n(3))));
      return;
    case 'mif':
      socket(id).setMulticastInterface(w[3]);
      break;
    case 'mloop':
      reply(String(socket(id).setMulticastLoopback(w[3] === '1')));
      return;
    case 'rcvbuf':
      reply(String(socket(id).getRecvBufferSize()));
      return;
    case 'close':
      socket(id).close();
      break;
    case 'burstrecv':
      tallies.set(id, tally());
      break;
    case 'burststat':
      reply(tallies.get(id).summary());
      return;
    case 'burstsend':
      burstSend(id, socket(id), n(3), n(4), w[5], n(6), n(7));
      break;
    default:
      throw new Error('unknown command ' + cmd);
  }
  reply('');
}

emit(`ready node ${process.version}`);
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const w = line.trim().split(' ');
  if (w.length < 2) return;
  const seq = w[0];
  try {
    command(w, (result) => emit(`r ${seq} ok${result === '' ? '' : ' ' + result}`));
  } catch (e) {
    emit(`r ${seq} throw ${e.code ? error(e) : 'JS - - - - ' + e.message}`);
  }
});
rl.on('close', () => closeAll(() => process.exit(0)));
