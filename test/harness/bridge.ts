import { after, before } from 'node:test'
import { startTestMosquitto, type TestMosquitto } from './mosquitto.ts'
import { createWorkerProcess, type WorkerProcess } from './worker.ts'

/** The two real components most integration tests bridge: a private Mosquitto and a worker process. */
export interface Bridge {
  readonly mosquitto: TestMosquitto
  readonly worker: WorkerProcess
}

/**
 * Starts a Mosquitto and a worker before the enclosing suite and stops them after it. The returned object is filled
 * in by the `before` hook, so read its fields inside tests and hooks, not at definition time.
 */
export const useBridge = (workerOverrides: Readonly<Record<string, string>> = {}, mosquittoConfig: readonly string[] = []): Bridge => {
  const bridge = {} as { mosquitto: TestMosquitto; worker: WorkerProcess }
  before(async () => {
    bridge.mosquitto = await startTestMosquitto(mosquittoConfig)
    bridge.worker = await createWorkerProcess(workerOverrides)
  })
  after(async () => {
    await bridge.worker?.stop()
    await bridge.mosquitto?.close()
  })
  return bridge
}
