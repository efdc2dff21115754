// `npm run release:check`: what a user of the published package gets, checked end to end before a release.
// Builds and checks dist/ (npm run build:check), packs the tarball, installs it in an empty folder, and runs
// `npx mqtt-kafka-connect worker` there against local brokers: Kafka (KAFKA_BOOTSTRAP_SERVERS, or a private broker on
// free ports) and MQTT (MQTT_URL, or a private Mosquitto, or the embedded broker where Mosquitto is missing). The
// worker loads a plugin from another folder that imports `mqtt-kafka-connect/plugin`, and bridges one MQTT message.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startEmbeddedMqttBroker } from '../infra/embedded-mqtt.ts'
import { startKafka } from '../infra/kafka.ts'
import { findMosquittoBinary, startMosquitto } from '../infra/mosquitto.ts'
import { projectRoot } from '../infra/paths.ts'
import { findFreePorts } from '../infra/ports.ts'
import { bridgeOneMessage, startPackagedWorker, writeExternalPlugin, type PackagedWorker } from './packaged-smoke.ts'

const execFileAsync = promisify(execFile)
const { version } = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string }

const started = Date.now()
const say = (message: string): void => console.log(`[release:check ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`)

/** Runs a command with its output shown, failing on a non-zero exit. */
const run = (command: string, args: readonly string[], cwd: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' })
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))))
  })

const stops: (() => Promise<unknown>)[] = []
const tempDir = await mkdtemp(join(tmpdir(), 'mqtt-kafka-connect-release-'))
stops.push(() => rm(tempDir, { recursive: true, force: true }))

const startBrokers = async (): Promise<{ bootstrapServers: string; mqttUrl: string }> => {
  let bootstrapServers = process.env.KAFKA_BOOTSTRAP_SERVERS ?? ''
  if (bootstrapServers === '') {
    const [port, controllerPort] = await findFreePorts(2)
    const dataDir = join(tempDir, 'kafka')
    const kafka = await startKafka({ port: port!, controllerPort: controllerPort!, dataDir, logFile: join(tempDir, 'kafka.log'), detached: false })
    stops.unshift(() => kafka.stop())
    bootstrapServers = kafka.bootstrapServers
    say(`Kafka: a private broker at ${bootstrapServers}`)
  } else {
    say(`Kafka: ${bootstrapServers} (KAFKA_BOOTSTRAP_SERVERS)`)
  }
  let mqttUrl = process.env.MQTT_URL ?? ''
  if (mqttUrl !== '') {
    say(`MQTT: ${mqttUrl} (MQTT_URL)`)
  } else if (findMosquittoBinary() !== undefined) {
    const [port] = await findFreePorts(1)
    const mosquitto = await startMosquitto({ port: port!, dataDir: join(tempDir, 'mosquitto'), logFile: join(tempDir, 'mosquitto.log'), detached: false })
    stops.unshift(() => mosquitto.stop())
    mqttUrl = mosquitto.url
    say(`MQTT: a private Mosquitto at ${mqttUrl}`)
  } else {
    const broker = await startEmbeddedMqttBroker({ port: 0 })
    stops.unshift(() => broker.stop())
    mqttUrl = broker.url
    say(`MQTT: Mosquitto is not installed; the embedded broker (${broker.name}) at ${mqttUrl}`)
  }
  return { bootstrapServers, mqttUrl }
}

const main = async (): Promise<void> => {
  say('npm run build:check')
  await run('npm', ['run', '-s', 'build:check'], projectRoot)

  say('npm pack')
  const packed = await execFileAsync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tempDir], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 })
  const [{ filename, size, entryCount }] = JSON.parse(packed.stdout) as [{ filename: string; size: number; entryCount: number }]
  say(`${filename}: ${entryCount} files, ${(size / 1024).toFixed(0)} KiB`)

  const installDir = join(tempDir, 'install')
  await run('mkdir', ['-p', installDir], tempDir)
  await writeFile(join(installDir, 'package.json'), `${JSON.stringify({ name: 'release-check', private: true, type: 'module' }, null, 2)}\n`)
  say(`npm install ${filename} in an empty folder`)
  // At npm's usual log level whatever `npm run -s` set: the warnings are what a user would see.
  const installed = await execFileAsync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=warn', join(tempDir, filename)], {
    cwd: installDir,
    maxBuffer: 16 * 1024 * 1024,
  })
  const warnings = `${installed.stdout}\n${installed.stderr}`.split('\n').filter((line) => /EBADENGINE|deprecated/i.test(line))
  if (warnings.length > 0) say(`npm install warned (the project's overrides do not reach an installing user):\n  ${warnings.join('\n  ')}`)

  const npxVersion = await execFileAsync('npx', ['--no-install', 'mqtt-kafka-connect', '--version'], { cwd: installDir })
  assert.equal(npxVersion.stdout, `${version}\n`, 'npx mqtt-kafka-connect --version')
  say(`npx mqtt-kafka-connect --version: ${version}`)

  const pluginPath = await writeExternalPlugin(join(tempDir, 'plugin'))
  const { bootstrapServers, mqttUrl } = await startBrokers()
  say('npx mqtt-kafka-connect worker, with plugin.path = a folder outside the installation')
  const worker: PackagedWorker = await startPackagedWorker({ command: 'npx', args: ['--no-install', 'mqtt-kafka-connect', 'worker'], cwd: installDir, bootstrapServers, pluginPath })
  stops.unshift(() => worker.stop())
  say(`worker ready at ${worker.url}`)

  const result = await bridgeOneMessage({ workerUrl: worker.url, mqttUrl, bootstrapServers })
  assert.deepEqual(result.plugin, { class: 'com.example.UpperCase', type: 'transformation', version: '1.2.3' }, 'the external plugin is listed')
  assert.equal(result.refusal.status, 400, `the plugin's ConfigError is a 400: ${result.refusal.message}`)
  assert.match(result.refusal.message, /transforms\.upper\.suffix/)
  assert.deepEqual(result.records, [{ key: 'smoke/one', value: 'HELLO FROM MQTT!' }], 'one MQTT message in Kafka, through the plugin')
  say(`bridged: MQTT smoke/one "hello from mqtt" → Kafka ${JSON.stringify(result.records[0])}`)

  await worker.stop()
  // npx's own exit code says how its shell ended; the worker's log says how the worker did.
  assert.match(worker.log(), /"message":"worker stopped"/, `the worker stops cleanly on SIGTERM; its output:\n${worker.log()}`)
  say('worker stopped cleanly on SIGTERM')
}

try {
  await main()
  say('release check passed')
} catch (error) {
  console.error(`\nrelease check FAILED: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  for (const stop of stops.splice(0)) await stop().catch((error: unknown) => console.error(`cleanup: ${String(error)}`))
}
