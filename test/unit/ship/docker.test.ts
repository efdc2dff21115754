// Docker cannot run on every machine that runs the tests, so this reads docker-compose.yml and the Dockerfile and
// checks what they name against the repository: image tags, services, ports, paths, scripts, and the README section.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { builtinPlugins } from '../../../app/builtin-plugins.ts'
import { validateConnectorConfig } from '../../../src/config/validate.ts'
import { loadWorkerConfig } from '../../../src/config/worker-config.ts'
import { projectRoot } from '../../../scripts/infra/paths.ts'

interface ComposeService {
  image?: string
  build?: string | { context: string }
  hostname?: string
  profiles?: string[]
  ports?: string[]
  volumes?: string[]
  environment?: Record<string, string | number>
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string | string[] }
  command?: string | string[]
}

interface Compose {
  services: Record<string, ComposeService>
  volumes?: Record<string, unknown>
}

const read = (file: string): string => readFileSync(join(projectRoot, file), 'utf8')
const compose = parse(read('docker-compose.yml')) as Compose
const services = Object.entries(compose.services)
const serviceNames = new Set(Object.keys(compose.services))
const manifest = JSON.parse(read('package.json')) as { version: string; engines: { node: string }; bin: Record<string, string>; scripts: Record<string, string> }
const kafkaVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(read('scripts/kafka/pom.xml'))?.[1]

interface Instruction {
  readonly keyword: string
  readonly args: string
}

/** The Dockerfile's instructions per stage, continuation lines joined, comments dropped. */
const dockerfileStages = (text: string): { from: string; name?: string; instructions: Instruction[] }[] => {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'))
  const stages: { from: string; name?: string; instructions: Instruction[] }[] = []
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? []
    if (keyword.toUpperCase() === 'FROM') {
      const [, from = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? []
      stages.push({ from, ...(name !== undefined && { name }), instructions: [] })
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args })
    }
  }
  return stages
}
const stages = dockerfileStages(read('Dockerfile'))
const buildStage = stages[0]!
const runtimeStage = stages.at(-1)!
const runtimeArgs = (keyword: string): string[] => runtimeStage.instructions.filter((instruction) => instruction.keyword === keyword).map(({ args }) => args)

/** Node majors that `engines.node` admits, among those that exist (`^20.19.4 || ^22.18.0 || >=24.6.0`). */
const admitsNodeMajor = (major: number): boolean =>
  manifest.engines.node.split('||').some((range) => {
    const [, operator, low] = /^\s*(\^|>=)(\d+)/.exec(range) ?? []
    return operator === '^' ? major === Number(low) : operator === '>=' ? major >= Number(low) : false
  })

/** `host:port` references in a text: after `//`, `@`, a comma, a quote, `=` or a blank, and ending a token. */
const hostPorts = (text: string): { host: string; port: number }[] =>
  [...text.matchAll(/(?:^|[\s/@,"'=[])([a-z][a-z0-9.-]*):(\d{2,5})(?=$|[\s/,"'\]])/gm)].map(([, host, port]) => ({ host: host!, port: Number(port) }))

/** Ports a service listens on inside the compose network: those it publishes and those its config names for itself. */
const internalPorts = (name: string, service: ComposeService): Set<number> => {
  const ports = new Set((service.ports ?? []).map((mapping) => Number(mapping.split(':').at(-1))))
  const own = new Set([name, service.hostname, '0.0.0.0'])
  for (const { host, port } of hostPorts(JSON.stringify(service.environment ?? {}).replaceAll('\\"', '"'))) if (own.has(host)) ports.add(port)
  for (const value of Object.entries(service.environment ?? {}).filter(([key]) => /PORT$/.test(key)).map(([, value]) => value)) ports.add(Number(value))
  return ports
}
const portsOf = new Map(services.map(([name, service]) => [name, internalPorts(name, service)]))
const ALWAYS_LOCAL = new Set(['localhost', '127.0.0.1', '0.0.0.0'])

const assertReferencesServices = (where: string, text: string): void => {
  for (const { host, port } of hostPorts(text)) {
    if (ALWAYS_LOCAL.has(host)) continue
    const service = services.find(([name, { hostname }]) => name === host || hostname === host)
    assert.ok(service !== undefined, `${where} names ${host}:${port}, but no compose service is called ${host}`)
    assert.ok(portsOf.get(service[0])!.has(port), `${where} names ${host}:${port}, but ${service[0]} listens on ${[...portsOf.get(service[0])!].join(', ')}`)
  }
}

describe('docker-compose.yml', () => {
  it('pins every image to a tag, never latest', () => {
    for (const [name, { image }] of services) {
      assert.ok(image !== undefined, `${name} has no image`)
      const tag = /:([^/:]+)$/.exec(image)?.[1]
      assert.ok(tag !== undefined && tag !== 'latest', `${name}: ${image} names no tag`)
    }
  })

  it('runs the Kafka version that the local broker (scripts/kafka/pom.xml) runs', () => {
    assert.equal(compose.services.kafka?.image, `apache/kafka:${kafkaVersion}`)
  })

  it("builds the worker from this repository's Dockerfile, tagged with the package version", () => {
    const worker = compose.services.worker!
    const context = typeof worker.build === 'string' ? worker.build : worker.build?.context
    assert.equal(context, '.')
    assert.ok(existsSync(join(projectRoot, context, 'Dockerfile')))
    assert.equal(worker.image, `mqtt-kafka-connect:${manifest.version}`)
  })

  it('gives every service a healthcheck (its own, or the HEALTHCHECK of the image it builds)', () => {
    for (const [name, service] of services) {
      assert.ok(service.healthcheck !== undefined || (service.build !== undefined && runtimeArgs('HEALTHCHECK').length > 0), `${name} has no healthcheck`)
    }
  })

  it('waits on services that exist, are in the same profiles, and are healthy', () => {
    for (const [name, service] of services) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        assert.ok(serviceNames.has(dependency), `${name} depends on ${dependency}, which is no service`)
        assert.equal(condition, 'service_healthy', `${name} → ${dependency}`)
        const theirs = compose.services[dependency]!.profiles ?? []
        assert.ok(theirs.every((profile) => (service.profiles ?? []).includes(profile)), `${name} depends on ${dependency} of profiles ${theirs.join(', ')}`)
      }
    }
  })

  it('publishes each host port once, and only ports the services listen on', () => {
    const hostPortsSeen = new Map<string, string>()
    for (const [name, service] of services) {
      for (const mapping of service.ports ?? []) {
        const [host, container] = mapping.split(':')
        assert.ok(!hostPortsSeen.has(host!), `host port ${host} is published by ${hostPortsSeen.get(host!)} and ${name}`)
        hostPortsSeen.set(host!, name)
        // The container port is one that the service's own config, healthcheck, mounted config or image names.
        const mounted = (service.volumes ?? [])
          .map((volume) => volume.split(':')[0]!)
          .filter((source) => source.startsWith('./') && statSync(join(projectRoot, source)).isFile())
          .map((source) => read(source))
        const image = service.build === undefined ? [] : [...runtimeArgs('EXPOSE'), ...runtimeArgs('HEALTHCHECK')]
        const described = [JSON.stringify(service.environment ?? {}), JSON.stringify(service.healthcheck ?? {}), ...mounted, ...image].join('\n')
        assert.match(described, new RegExp(`\\b${container}\\b`), `${name} publishes ${container}, which nothing of ${name} listens on`)
      }
    }
  })

  it('mounts only files and folders of this repository, and declares its named volumes', () => {
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':')
        if (source!.startsWith('./')) assert.ok(existsSync(join(projectRoot, source!)), `${name} mounts ${source}, which does not exist`)
        else if (!source!.startsWith('/')) assert.ok(Object.hasOwn(compose.volumes ?? {}, source!), `${name} mounts volume ${source}, which is not declared`)
      }
    }
  })

  it('reaches other services by their compose names and ports', () => {
    for (const [name, service] of services) assertReferencesServices(`${name}'s environment`, Object.values(service.environment ?? {}).join('\n'))
    assertReferencesServices('examples/prometheus/prometheus.yml', read('examples/prometheus/prometheus.yml'))
    assertReferencesServices('the Grafana data source', read('examples/grafana/provisioning/datasources/prometheus.yml'))
  })
})

describe('examples/compose/', () => {
  const connectorFiles = readdirSync(join(projectRoot, 'examples/compose')).filter((file) => file.endsWith('.json'))

  it('has connector configs', () => assert.ok(connectorFiles.length > 0))

  for (const file of connectorFiles) {
    it(`${file} is a valid connector config that names compose services`, async () => {
      const text = read(`examples/compose/${file}`)
      const { name, config } = JSON.parse(text) as { name: string; config: Record<string, string> }
      assert.deepEqual((await validateConnectorConfig(builtinPlugins, { ...config, name })).problems, [])
      assertReferencesServices(`examples/compose/${file}`, text)
      assert.doesNotMatch(text, /127\.0\.0\.1|localhost/, 'inside the compose network, brokers go by service name')
    })
  }

  it('worker.properties is a valid worker config with the worker service settings', async () => {
    const file = join(projectRoot, 'examples/compose/worker.properties')
    const config = await loadWorkerConfig(file, {})
    const environment = compose.services.worker!.environment!
    assert.equal(String(config['bootstrap.servers']), environment.CONNECT_BOOTSTRAP_SERVERS)
    assert.equal(config['group.id'], environment.CONNECT_GROUP_ID)
    assert.equal(String(config.restPort), String(environment.CONNECT_REST_PORT))
    assertReferencesServices('examples/compose/worker.properties', readFileSync(file, 'utf8').replace(/^#.*$/gm, ''))
  })
})

describe('Dockerfile', () => {
  it('builds in one stage and runs from another', () => {
    assert.ok(stages.length >= 2, 'multi-stage')
    assert.ok(runtimeArgs('COPY').some((args) => args.startsWith(`--from=${buildStage.name}`)), 'the runtime stage copies from the build stage')
  })

  it('runs on a slim image of a Node LTS that engines admits, the same Node in both stages', () => {
    for (const { from } of stages) {
      const [, major] = /^node:(\d+)(?:\.[\d.]+)?-[a-z]+(?:-slim)?$/.exec(from) ?? []
      assert.ok(major !== undefined, `${from} is not a node:<major>-<debian> image`)
      assert.ok(Number(major) % 2 === 0, `Node ${major} is no LTS line`)
      assert.ok(admitsNodeMajor(Number(major)), `engines.node "${manifest.engines.node}" does not admit Node ${major}`)
      assert.equal(from, buildStage.from)
    }
    assert.match(runtimeStage.from, /-slim$/)
  })

  it('copies only what exists and what .dockerignore lets through', () => {
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'))
    for (const { instructions } of stages) {
      for (const { args } of instructions.filter(({ keyword }) => keyword === 'COPY')) {
        if (args.startsWith('--from=')) continue
        const sources = args.split(/\s+/).slice(0, -1)
        for (const source of sources) {
          assert.ok(existsSync(join(projectRoot, source)), `COPY ${source}: no such file`)
          assert.ok(!ignored.some((pattern) => source.replace(/\/$/, '') === pattern.replace(/\/$/, '')), `COPY ${source}, which .dockerignore leaves out`)
        }
      }
    }
  })

  it('runs the build steps CI runs, which are npm scripts', () => {
    const runs = buildStage.instructions.filter(({ keyword }) => keyword === 'RUN').map(({ args }) => args)
    assert.ok(runs.some((args) => args.includes('npm run build:check')), 'the build stage runs npm run build:check')
    assert.match(read('.ci/run'), /npm run build:check/, '.ci/run runs the same build steps')
    for (const args of [...runs, ...runtimeArgs('RUN')]) {
      for (const [, script] of args.matchAll(/npm run (\S+)/g)) assert.ok(Object.hasOwn(manifest.scripts, script!), `npm run ${script}: no such script`)
    }
  })

  it('runs the package command as a non-root user, with a HEALTHCHECK on /health of the exposed port', () => {
    const users = runtimeArgs('USER')
    assert.ok(users.length > 0 && !['root', '0'].includes(users.at(-1)!), 'USER is not root')
    assert.deepEqual(JSON.parse(runtimeArgs('ENTRYPOINT')[0]!), ['node', Object.values(manifest.bin)[0]])
    const [port] = runtimeArgs('EXPOSE')
    const [healthcheck] = runtimeArgs('HEALTHCHECK')
    assert.match(healthcheck!, /\/health\b/)
    assert.match(healthcheck!, new RegExp(`\\b${port}\\b`))
    assert.ok(compose.services.worker!.ports!.some((mapping) => mapping.endsWith(`:${port}`)), `compose publishes the worker's ${port}`)
  })
})

describe('README "Run with Docker"', () => {
  const readme = read('README.md')
  const section = /^## Run with Docker\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? ''

  it('exists', () => assert.notEqual(section.trim(), ''))

  it('names only services, profiles, files and host ports that the compose file has', () => {
    const profiles = new Set(services.flatMap(([, { profiles = [] }]) => profiles))
    for (const [, profile] of section.matchAll(/--profile\s+(\S+)/g)) assert.ok(profiles.has(profile!), `profile ${profile}`)
    for (const [, command] of section.matchAll(/docker compose ([^\n`#]*)/g)) {
      const words = command!.trim().split(/\s+/).filter((word) => !word.startsWith('-') && !profiles.has(word))
      const [, ...rest] = words
      for (const word of rest.filter((w) => /^[a-z][a-z-]*$/.test(w))) assert.ok(serviceNames.has(word), `docker compose ${command}: ${word} is no service`)
    }
    const published = new Set(services.flatMap(([, { ports = [] }]) => ports.map((mapping) => Number(mapping.split(':')[0]))))
    for (const [, port] of section.matchAll(/localhost:(\d+)/g)) assert.ok(published.has(Number(port)), `localhost:${port} is not published`)
    for (const [, path] of section.matchAll(/\b(examples\/[\w./-]+)/g)) assert.ok(existsSync(join(projectRoot, path!.replace(/[.,]$/, ''))), `${path} does not exist`)
  })

  it('shows every published port of the default services', () => {
    for (const [name, { ports = [], profiles }] of services) {
      for (const mapping of ports) assert.ok(profiles !== undefined || section.includes(`localhost:${mapping.split(':')[0]}`), `${name}'s ${mapping} is not in the README`)
    }
  })
})
