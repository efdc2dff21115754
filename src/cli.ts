import { PACKAGE_VERSION } from './package-info.ts'

/**
 * The command line of `mqtt-kafka-connect`: what to do, read from the arguments alone (no I/O), so that `--help`
 * and `--version` never reach the config loader.
 */
export type CliCommand =
  | { readonly command: 'worker'; readonly configFile?: string }
  | { readonly command: 'help' }
  | { readonly command: 'version' }
  /** Prints a `rest.basic.auth.credentials.file` line for `user`, the password read from stdin (never an argument). */
  | { readonly command: 'hash-password'; readonly user: string }

/** Arguments that make no command; the message says which, and the caller prints the usage after it. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export const USAGE = `Usage: mqtt-kafka-connect [worker] [worker.properties]
       mqtt-kafka-connect hash-password <user>
       mqtt-kafka-connect --help | --version

Runs a Kafka Connect-compatible worker until SIGTERM or SIGINT. The optional file is a Kafka Connect worker config
(.properties or .json); any key may also be set as CONNECT_<KEY>, dots as underscores (CONNECT_BOOTSTRAP_SERVERS).

hash-password reads a password from stdin (one line) and prints a user:scrypt:... line for the file named by
rest.basic.auth.credentials.file.

Options:
  -h, --help     print this help and exit
  -v, --version  print the version and exit
`

const HELP: CliCommand = Object.freeze({ command: 'help' })
const VERSION: CliCommand = Object.freeze({ command: 'version' })

/**
 * `worker [file]`, a bare `[file]`, or no arguments run a worker. `-h`/`--help` wins over anything else given with
 * it, then `-v`/`--version`. After `--` every argument is positional, for a file whose name starts with `-`.
 * Throws a {@link UsageError} for an unknown option or more than one file.
 */
export const parseArguments = (args: readonly string[]): CliCommand => {
  const end = args.indexOf('--')
  const options = (end < 0 ? args : args.slice(0, end)).filter((arg) => arg.startsWith('-') && arg !== '-')
  if (options.some((option) => option === '-h' || option === '--help')) return HELP
  if (options.some((option) => option === '-v' || option === '--version')) return VERSION
  const [unknown] = options
  if (unknown !== undefined) throw new UsageError(`unknown option: ${unknown}`)
  const positional = end < 0 ? args : [...args.slice(0, end), ...args.slice(end + 1)]
  const [first, ...rest] = positional
  if (first === 'hash-password') {
    if (rest.length !== 1 || rest[0] === '') throw new UsageError('hash-password takes one argument: the user name')
    return { command: 'hash-password', user: rest[0]! }
  }
  const files = first === 'worker' ? rest : positional
  if (files.length > 1) throw new UsageError(`too many arguments: ${files.slice(1).join(' ')}`)
  const [configFile] = files
  return configFile === undefined ? { command: 'worker' } : { command: 'worker', configFile }
}

/** This package's version, from its package.json. */
export const packageVersion = (): string => PACKAGE_VERSION
