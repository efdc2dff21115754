import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { startMosquitto, type RunningMosquitto } from '../../scripts/infra/mosquitto.ts'
import { findFreePort } from '../../scripts/infra/ports.ts'
import { sleep } from '../../scripts/infra/wait.ts'
import { makeTestTempDir } from './temp.ts'

export interface TestMosquitto {
  url: string
  port: number
  /** True when MQTT_URL points at a broker this harness does not control; stop/start/close then do nothing. */
  external: boolean
  /** Stops the broker but keeps its port and data, so `start()` brings back retained messages and sessions. */
  stop(): Promise<void>
  /** Starts it again on the same port and data dir; does nothing while it is running. */
  start(): Promise<void>
  /** stop(), wait `downtimeMs`, start(): a broker outage as clients see it. */
  restart(downtimeMs?: number): Promise<void>
  /** Stops it and deletes its temp dir; call once in `after()`. */
  close(): Promise<void>
}

function externalMosquitto(url: string): TestMosquitto {
  const parsed = new URL(url)
  const port = parsed.port === '' ? 1883 : Number(parsed.port)
  const nothing = async (): Promise<void> => {}
  return { url, port, external: true, stop: nothing, start: nothing, restart: nothing, close: nothing }
}

/**
 * A Mosquitto broker for one test file: the one at MQTT_URL when set (extraConfig is then ignored),
 * otherwise a private broker on a free port in a fresh temp dir.
 */
export async function startTestMosquitto(extraConfig: readonly string[] = []): Promise<TestMosquitto> {
  const externalUrl = process.env.MQTT_URL
  if (externalUrl !== undefined && externalUrl !== '') return externalMosquitto(externalUrl)

  const port = await findFreePort()
  const dataDir = await makeTestTempDir('mosquitto-')
  const options = { port, dataDir, logFile: join(dataDir, 'mosquitto.log'), detached: false, extraConfig }
  let running: RunningMosquitto | undefined

  const start = async (): Promise<void> => {
    running ??= await startMosquitto(options)
  }
  const stop = async (): Promise<void> => {
    const current = running
    running = undefined
    await current?.stop()
  }
  try {
    await start()
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    external: false,
    stop,
    start,
    restart: async (downtimeMs = 0) => {
      await stop()
      await sleep(downtimeMs)
      await start()
    },
    close: async () => {
      await stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
