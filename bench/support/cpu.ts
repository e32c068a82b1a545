/**
 * Where the machine's CPU went during a measurement: per process from /proc/<pid>/stat (user +
 * system time) and for the whole machine from /proc/stat. Linux reports both in USER_HZ ticks,
 * 100 per second. A process that exits between two samples loses its time, so take the second
 * sample while the processes of interest are still running.
 */
import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100;

export interface ProcessCpu {
  name: string;
  ppid: number;
  ticks: number;
  /** The process title (cmdline), read for PostgreSQL processes only: it names the database. */
  title: string;
}

export interface CpuSample {
  at: number;
  processes: Map<number, ProcessCpu>;
  machineBusyTicks: number;
  machineTotalTicks: number;
}

async function processCpu(pid: number): Promise<ProcessCpu | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The name is in parentheses and may itself contain spaces or parentheses.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // After the name: state(0) ppid(1) … utime(11) stime(12).
    const title = name === 'postgres' ? (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim() : '';
    return { name, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), title };
  } catch {
    return undefined; // exited meanwhile
  }
}

export async function sampleCpu(): Promise<CpuSample> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
  const processes = new Map<number, ProcessCpu>();
  await Promise.all(
    pids.map(async (pid) => {
      const cpu = await processCpu(pid);
      if (cpu) processes.set(pid, cpu);
    }),
  );
  const cpuLine = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal …
  const values = cpuLine.trim().split(/\s+/).slice(1).map(Number);
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { at: performance.now(), processes, machineBusyTicks: total - idle, machineTotalTicks: total };
}

/** CPU seconds used between two samples by the processes `select` picks. */
export function cpuSeconds(from: CpuSample, to: CpuSample, select: (pid: number, process: ProcessCpu) => boolean): number {
  let ticks = 0;
  for (const [pid, now] of to.processes) {
    if (!select(pid, now)) continue;
    const before = from.processes.get(pid);
    ticks += before && before.name === now.name ? now.ticks - before.ticks : now.ticks;
  }
  return ticks / TICKS_PER_SECOND;
}

/** The parent of a process: for a PostgreSQL backend, the postmaster. */
export async function parentPid(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * The processes of one PostgreSQL cluster, split into the backends serving `database` and the
 * rest of the cluster (WAL writer, checkpointer, other databases' backends). Other clusters on
 * the machine (a test suite's embedded server, say) are in neither.
 */
export function postgresOf(postmasterPid: number, database: string) {
  const inCluster = (pid: number, p: ProcessCpu) => p.name === 'postgres' && (pid === postmasterPid || p.ppid === postmasterPid);
  const serving = (p: ProcessCpu) => p.title.split(' ').includes(database);
  return {
    backends: (pid: number, p: ProcessCpu) => inCluster(pid, p) && serving(p),
    rest: (pid: number, p: ProcessCpu) => inCluster(pid, p) && !serving(p),
    any: inCluster,
  };
}

/** Share of the machine's CPU capacity (all cores) that was busy between two samples, 0–1. */
export function machineBusy(from: CpuSample, to: CpuSample): number {
  const total = to.machineTotalTicks - from.machineTotalTicks;
  return total > 0 ? (to.machineBusyTicks - from.machineBusyTicks) / total : 0;
}
