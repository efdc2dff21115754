import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { copyFile, cp, rm, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { projectRoot } from '../../scripts/infra/paths.ts'
import { bridgeOneMessage, startPackagedWorker, writeExternalPlugin, type PackagedWorker, type SmokeResult } from '../../scripts/ship/packaged-smoke.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { makeTestTempDir } from '../harness/temp.ts'

const execFileAsync = promisify(execFile)

// The build (`tsc -p tsconfig.build.json`) laid out as npm installs it, run by plain Node; `npm run release:check`
// does the same with the packed tarball installed from scratch.
describe('the built worker, run by plain Node with a plugin from a folder of its own', () => {
  let tempDir: string
  let pluginDir: string
  let mosquitto: TestMosquitto
  let worker: PackagedWorker
  let result: SmokeResult

  before(async () => {
    tempDir = await makeTestTempDir('packaged-')
    const packageDir = join(tempDir, 'node_modules', 'mqtt-kafka-connect')
    await execFileAsync(process.execPath, [join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', join(projectRoot, 'tsconfig.build.json'), '--outDir', join(packageDir, 'dist')])
    // As `npm run build` does: the web console's files beside the compiled code.
    await cp(join(projectRoot, 'ui'), join(packageDir, 'dist/ui'), { recursive: true })
    await copyFile(join(projectRoot, 'package.json'), join(packageDir, 'package.json'))
    await symlink(join(projectRoot, 'node_modules'), join(packageDir, 'node_modules'), 'dir')
    // Outside the installation: nothing on the plugin's own module path provides mqtt-kafka-connect or zod.
    pluginDir = await makeTestTempDir('plugin-')
    const pluginPath = await writeExternalPlugin(pluginDir)
    mosquitto = await startTestMosquitto()
    worker = await startPackagedWorker({
      command: process.execPath,
      args: [join(packageDir, 'dist/bin/mqtt-kafka-connect.js'), 'worker'],
      cwd: tempDir,
      bootstrapServers: kafkaBootstrapServers(),
      pluginPath,
    })
    result = await bridgeOneMessage({ workerUrl: worker.url, mqttUrl: mosquitto.url, bootstrapServers: kafkaBootstrapServers() })
  })

  after(async () => {
    await worker?.stop()
    await mosquitto?.close()
    for (const dir of [tempDir, pluginDir]) if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('lists the plugin that imports mqtt-kafka-connect/plugin', () => {
    assert.deepEqual(result.plugin, { class: 'com.example.UpperCase', type: 'transformation', version: '1.2.3' })
  })

  it("refuses the plugin's ConfigError with a 400 naming the key: the plugin got the worker's own API", () => {
    assert.equal(result.refusal.status, 400, result.refusal.message)
    assert.match(result.refusal.message, /transforms\.upper\.suffix/)
  })

  it('bridges an MQTT message to Kafka through the plugin', () => {
    assert.deepEqual(result.records, [{ key: 'smoke/one', value: 'HELLO FROM MQTT!' }])
  })

  it('stops on SIGTERM with exit code 0', async () => {
    assert.equal(await worker.stop(), 0, worker.log())
  })
})
