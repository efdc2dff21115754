import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const clockTicksPerSecond = ((): number => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100
  } catch {
    return 100
  }
})()

/** CPU time `pid` has used so far, user + system, in seconds (utime + stime of /proc/<pid>/stat, all threads). */
export const cpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which may itself contain spaces and parentheses: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond
}

/** Peak resident memory of `pid` so far (VmHWM of /proc/<pid>/status), in MB. */
export const peakRssMb = (pid: number): number => {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (match === null) throw new Error(`no VmHWM in /proc/${pid}/status`)
  return Math.round(Number(match[1]) / 1024)
}
