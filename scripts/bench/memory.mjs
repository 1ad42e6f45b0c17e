/*
 * The server's memory: its process tree's resident memory sampled from /proc for the whole run,
 * the peak per phase, and each process's own peak (VmHWM) at the end.
 */
import fs from 'node:fs';
import { descendants, readOrNull } from '../lib/next-process.mjs';
import { MEMORY_SAMPLE_MS } from './config.mjs';
import { fmtMb, formatTable } from './format.mjs';

/**
 * Each process of the server's tree at the end of the run, with its VmHWM (the kernel's record of
 * its peak resident memory) and which one serves: `next start` may hand the socket to a child, so
 * the one holding the listening socket is named.
 */
export function serverMemory(server) {
  const candidates = [server.pid, ...descendants(server.pid)];
  const listener = listeningPid(server.port, candidates);
  const servingPid = listener ?? server.pid;
  const processes = candidates.map((pid) => ({
    pid,
    // next-server sets process.title, so cmdline reads "next-server (vX)" rather than the command.
    title: (readOrNull(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' '),
    peakRssBytes: statusKb(pid, 'VmHWM') * 1024,
    rssBytes: statusKb(pid, 'VmRSS') * 1024,
    serves: pid === servingPid,
  }));
  const serving = processes.find((p) => p.serves);
  const how = listener === null ? 'listening socket not found, assumed' : 'holds the listening socket';
  const children =
    candidates.length === 1 ? 'next start spawned no child' : `${candidates.length - 1} child process(es) of pid ${server.pid}`;
  const note = `pid ${servingPid} "${serving.title}", ${how}; ${children}`;
  return { servingPid, peakRssBytes: serving.peakRssBytes, processes, note };
}

/**
 * Resident memory of the server's process tree (`next start` and every process under it, as it
 * may hand the work to a child), the sum of VmRSS in /proc/<pid>/status read every
 * MEMORY_SAMPLE_MS for the whole run. The peak is kept per phase: mark(name) starts the next one.
 * VmHWM (serverMemory) gives each process's exact peak, which a 200 ms sample could miss.
 */
export function sampleMemory(server) {
  const phases = [];
  let current = null;
  const read = () => {
    const kb = [server.pid, ...descendants(server.pid)].map((pid) => statusKb(pid, 'VmRSS')).filter(Number.isFinite);
    if (!current || !kb.length) return;
    const bytes = kb.reduce((sum, n) => sum + n, 0) * 1024;
    current.samples += 1;
    if (bytes > current.peakRssBytes) Object.assign(current, { peakRssBytes: bytes, processes: kb.length });
  };
  const mark = (name) => {
    read(); // the previous phase's last reading
    current = { name, peakRssBytes: 0, processes: 0, samples: 0 };
    phases.push(current);
    read();
  };
  mark('start');
  const timer = setInterval(read, MEMORY_SAMPLE_MS);
  let stopped = false;
  return {
    mark,
    /** The phases with their peaks; the first call takes a last reading, later ones only return them. */
    stop() {
      if (!stopped) read();
      stopped = true;
      clearInterval(timer);
      return phases;
    },
  };
}

/** The phases' sampled peaks and each process's VmHWM, and the peak of the run: the larger of the two kinds. */
export function memoryReport(phases, final) {
  const sampledPeak = Math.max(0, ...phases.map((p) => p.peakRssBytes));
  const hwmPeak = Math.max(0, ...final.processes.map((p) => p.peakRssBytes).filter(Number.isFinite));
  return {
    sampleMs: MEMORY_SAMPLE_MS,
    phases,
    sampledPeakRssBytes: sampledPeak,
    hwmPeakRssBytes: hwmPeak,
    peakRssBytes: Math.max(sampledPeak, hwmPeak),
    final,
  };
}

function statusKb(pid, field) {
  const match = (readOrNull(`/proc/${pid}/status`) ?? '').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : NaN;
}

/** The PID among candidates whose open files include the socket listening on 127.0.0.1:port. */
function listeningPid(port, candidates) {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const row = (readOrNull('/proc/net/tcp') ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((cols) => cols[1] === local && cols[3] === '0A'); // 0A = LISTEN
  if (!row) return null;
  const socket = `socket:[${row[9]}]`;
  const holds = (pid) => {
    try {
      return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => readLinkOrNull(`/proc/${pid}/fd/${fd}`) === socket);
    } catch {
      return false;
    }
  };
  return candidates.find(holds) ?? null;
}

function readLinkOrNull(file) {
  try {
    return fs.readlinkSync(file);
  } catch {
    return null;
  }
}

export function reportMemory(results) {
  const m = results.memory;
  if (!m) return [];
  return [
    '',
    `Server memory: VmRSS summed over the next start process tree, sampled every ${m.sampleMs} ms; VmHWM per process at the end`,
    '',
    formatTable(
      ['phase', 'peak RSS', 'processes', 'samples'],
      m.phases.map((p) => [p.name, fmtMb(p.peakRssBytes), String(p.processes), String(p.samples)]),
    ),
    ...m.final.processes.map((p) => `VmHWM of pid ${p.pid} "${p.title}": ${fmtMb(p.peakRssBytes)}`),
    `Processes: ${m.final.note}`,
    `Peak RSS of the run: ${fmtMb(m.peakRssBytes)} (the larger of the tree's sampled peak, ${fmtMb(m.sampledPeakRssBytes)}, ` +
      `and the largest VmHWM, ${fmtMb(m.hwmPeakRssBytes)})`,
  ];
}
