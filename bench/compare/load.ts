import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { projectRoot } from '../../scripts/infra/paths.ts'

/** What the load generator publishes. */
export interface LoadPlan {
  readonly url: string
  readonly topic: string
  readonly messages: number
  readonly payloadBytes: number
  readonly qos: 0 | 1
  /** Publisher connections, each sending its share of the messages. */
  readonly connections: number
  /** Publishes each connection has in flight before it waits for all of them (acks at QoS 1, socket writes at 0). */
  readonly window: number
  /** Keep `window` publishes in flight, sliding (a new one as each completes), rather than waiting for each batch. */
  readonly sliding?: boolean
  /** Publish at this many messages per second in all (spread over the connections) rather than as fast as possible. */
  readonly ratePerSecond?: number
  /**
   * Sink ceiling: build every payload and publish this many messages to another topic before reporting ready, so the
   * timed part is a warmed-up publisher sending bytes it already has, as the sink does with records from Kafka.
   */
  readonly warmUpMessages?: number
  /**
   * Many topics: `topic` holds `{0}`, `{1}`, … and message `seq` fills them with its digits in this mixed radix
   * (`{0}` = seq mod space[0], `{1}` = seq / space[0] mod space[1], …), so consecutive messages go round robin over
   * the first level.
   */
  readonly topicSpace?: readonly number[]
}

/** What the load generator measured: its own publishing rate, first publish to last ack or write. */
export interface LoadResult {
  readonly messages: number
  readonly connections: number
  readonly elapsedMs: number
  readonly messagesPerSecond: number
}

/** A load generator process that has connected its publishers and waits for `start()`. */
export interface ReadyLoad {
  readonly pid: number
  /** Starts publishing; resolves once every message is published. */
  start(): Promise<LoadResult>
  /** Kills the process if it is still running (after a failure elsewhere). */
  kill(): void
}

const loadGeneratorFile = 'bench/compare/load-generator.ts'

// Load generators die with the benchmark, even when it is interrupted.
const liveGenerators = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of liveGenerators) child.kill('SIGKILL')
})

/** Spawns `node --import tsx bench/compare/load-generator.ts` and resolves once its publishers are connected. */
export const prepareLoad = async (plan: LoadPlan): Promise<ReadyLoad> => {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', loadGeneratorFile, JSON.stringify(plan)], {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  liveGenerators.add(child)
  child.once('exit', () => liveGenerators.delete(child))
  // 'close' comes after the child's output has been read to the end, so a last line is never lost to this race.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  const exited = closed.then((): never => {
    throw new Error(`load generator exited early (code ${child.exitCode}, signal ${child.signalCode})`)
  })
  // The rejection is observed through the races below; an unobserved one would crash the benchmark after success.
  exited.catch(() => undefined)
  const lines = createInterface({ input: child.stdout! })
  const iterator = lines[Symbol.asyncIterator]()
  const nextLine = async (): Promise<string> => {
    const next = await Promise.race([iterator.next(), exited])
    if (next.done === true) throw new Error('load generator closed its output early')
    return next.value
  }
  try {
    const ready = JSON.parse(await nextLine()) as { ready?: boolean }
    if (ready.ready !== true) throw new Error('load generator did not report ready')
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  return {
    pid: child.pid!,
    start: async () => {
      child.stdin!.end('go\n')
      const result = JSON.parse(await nextLine()) as LoadResult
      await closed
      lines.close()
      return result
    },
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}

/** Runs a whole load: connect, publish, report. */
export const runLoad = async (plan: LoadPlan): Promise<LoadResult> => (await prepareLoad(plan)).start()
