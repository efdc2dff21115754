import { openSync, readSync, closeSync, statSync } from 'node:fs'

/** Size of `file` in bytes, 0 when it does not exist yet. */
export function fileSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** Text appended to `file` after byte `offset` (log files are shared across runs, so old lines must not count). */
export function readSince(file: string, offset: number): string {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return ''
  }
  try {
    const length = Math.max(0, fileSize(file) - offset)
    const buffer = Buffer.alloc(length)
    const read = readSync(fd, buffer, 0, length, offset)
    return buffer.subarray(0, read).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

/** The last `count` non-empty lines of `file` written after `offset`, indented for quoting in an error. */
export function lastLines(file: string, count: number, offset = 0): string {
  const lines = readSince(file, Math.max(offset, fileSize(file) - 64 * 1024))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
  return lines.length === 0 ? '    (log is empty)' : lines.map((line) => `    ${line}`).join('\n')
}
