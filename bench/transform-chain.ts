// bench/transform-chain: records/s and ns/record of the data layer alone, in this process, with no broker: a sensor
// reading as the MQTT source emits it (bytes) through ParseJson$Value and a 5-SMT chain configured as a connector
// config would configure it, then through JsonConverter (schemas.enable true and false) and AvroConverter.
//   - chain scenarios time `chain.apply` over a ring of prebuilt input records;
//   - converter scenarios run the chain untimed, BATCH records at a time, and time only `fromConnectData` on its output
//     (as the worker sees it: a fresh inferred schema object per record);
//   - "one shared schema" rows feed records whose structs share one schema object, so the schema caches of the SMTs
//     (WeakMap by schema) and of the converters (LRU by schema) hit: the gap to the rows above is what a fresh schema
//     per record costs;
//   - "chain + converter" rows time both together, as the source task runner does per record.
// AvroConverter talks to a real registry (SCHEMA_REGISTRY_URL, or an Apicurio Registry started here): the first call
// registers the value schema; the measured figures are the steady state, with the registry id cached in the converter.
// Figures come from one Node process on a shared machine; they are noisy, compare them within one run.
// Usage: npm run bench:transforms [-- --records 200000 --warm-up 20000 --runs 3 --no-avro];
// writes bench/results/transform-chain-<timestamp>.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { findFreePort } from '../scripts/infra/ports.ts'
import { projectRoot } from '../scripts/infra/paths.ts'
import { startSchemaRegistry } from '../scripts/infra/schema-registry.ts'
import { createAvroConverter, createJsonConverter } from '../src/converters/index.ts'
import type { Converter } from '../src/plugin/converter.ts'
import { Schemas, Struct, stringHeader, type ConnectRecord, type Schema } from '../src/data/index.ts'
import type { SourceRecord } from '../src/data/record.ts'
import { builtinPlugins } from '../app/builtin-plugins.ts'
import { buildTransformationChain, type TransformationChain } from '../src/worker/transformation-chain.ts'
import { inferJsonSchema } from '../transforms/parse-json.ts'

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 ? Number(process.argv[index + 1]) : fallback
}
const RECORDS = argument('records', 200_000)
const WARM_UP = argument('warm-up', 20_000)
const RUNS = argument('runs', 3)
const WITH_AVRO = !process.argv.includes('--no-avro')
/**
 * Wall-time budget of one measured run: a scenario whose warm-up says RECORDS would take longer measures fewer
 * records (never fewer than 20,000), so the whole benchmark fits in 10 minutes on a busy 2-core machine. 0: no cap.
 */
const RUN_BUDGET_MS = argument('run-seconds', 8) * 1000
/** The same for each prefix of the per-stage breakdown (12 of them). */
const STAGE_RUN_BUDGET_MS = argument('stage-run-seconds', 3) * 1000
const MIN_RECORDS = Math.min(RECORDS, 20_000)
/** Records the chain prepares (untimed) before the converter is timed over them. */
const BATCH = 1024
/** Distinct input records, reused round-robin: a power of two, so the index is a mask. */
const RING = 4096

const KAFKA_TRANSFORMS = 'org.apache.kafka.connect.transforms'
const SOURCE_TOPIC = 'mqtt.bench.sensors'
const SMT_ALIASES = ['stamp', 'rename', 'cast', 'ts', 'route'] as const

/** The connector config as it would be POSTed; only `transforms.*` and `predicates.*` matter to the chain. */
const connectorConfig = (aliases: readonly string[], inferSchema: boolean): Record<string, string> => ({
  'connector.class': 'io.mqttkafka.connect.mqtt.MqttSourceConnector',
  'mqtt.topics': 'sensors/+/+/reading',
  'kafka.topic': SOURCE_TOPIC,
  transforms: aliases.join(','),
  'transforms.parse.type': 'io.mqttkafka.connect.transforms.ParseJson$Value',
  'transforms.parse.schema.inference': String(inferSchema),
  'transforms.stamp.type': `${KAFKA_TRANSFORMS}.InsertField$Value`,
  'transforms.stamp.static.field': 'pipeline',
  'transforms.stamp.static.value': 'mqtt-bridge',
  'transforms.rename.type': `${KAFKA_TRANSFORMS}.ReplaceField$Value`,
  'transforms.rename.renames': 'temperature:temperature_c,humidity:humidity_pct',
  'transforms.cast.type': `${KAFKA_TRANSFORMS}.Cast$Value`,
  'transforms.cast.spec': 'humidity_pct:int32',
  'transforms.ts.type': `${KAFKA_TRANSFORMS}.TimestampConverter$Value`,
  'transforms.ts.field': 'ts',
  'transforms.ts.target.type': 'Timestamp',
  'transforms.route.type': `${KAFKA_TRANSFORMS}.RegexRouter`,
  'transforms.route.regex': 'mqtt\\.(.*)',
  'transforms.route.replacement': 'iot.$1',
  'transforms.route.predicate': 'fromMqtt',
  predicates: 'fromMqtt',
  'predicates.fromMqtt.type': `${KAFKA_TRANSFORMS}.predicates.TopicNameMatches`,
  'predicates.fromMqtt.pattern': 'mqtt\\..*',
})

const chainOf = (aliases: readonly string[], inferSchema = true): TransformationChain => {
  const built = buildTransformationChain(connectorConfig(aliases, inferSchema), builtinPlugins)
  if (!built.ok) throw new Error(`invalid chain config: ${built.problems.map(({ message }) => message).join('; ')}`)
  return built.chain
}

const SITES = ['lyon', 'paris', 'nantes', 'lille'] as const

/** A reading as a sensor publishes it; temperature always has a fraction, so every document infers one schema. */
const payloadFor = (i: number): Buffer => {
  const site = SITES[i % SITES.length]!
  const temperature = (15 + (i % 150) / 10 + 0.05).toFixed(2)
  return Buffer.from(`{"device":"t${i % 64}","site":"${site}","temperature":${temperature},"humidity":${30 + (i % 50)},"ts":${1732250000000 + i * 1000}}`)
}

const PARTITION = Object.freeze({ 'mqtt.client.id': 'bench-transforms-0' })
const ORIGIN = stringHeader('mqtt.origin.id', 'bench')

/** A record shaped as connectors/mqtt/source-task.ts builds one. */
const sourceRecord = (i: number, valueSchema: Schema | null, value: unknown): SourceRecord => {
  const mqttTopic = `sensors/${SITES[i % SITES.length]!}/t${i % 64}/reading`
  return {
    topic: SOURCE_TOPIC,
    kafkaPartition: null,
    keySchema: Schemas.OPTIONAL_STRING_SCHEMA,
    key: mqttTopic,
    valueSchema,
    value,
    timestamp: 1732250000000 + i * 1000,
    headers: [
      stringHeader('mqtt.topic', mqttTopic),
      stringHeader('mqtt.qos', '1'),
      stringHeader('mqtt.retained', 'false'),
      stringHeader('mqtt.duplicate', 'false'),
      stringHeader('mqtt.message.id', String((i % 65535) + 1)),
      ORIGIN,
    ],
    sourcePartition: PARTITION,
    sourceOffset: { 'acknowledged.messages': i + 1 },
  }
}

const bytesRecords: readonly SourceRecord[] = Array.from({ length: RING }, (_, i) => sourceRecord(i, Schemas.OPTIONAL_BYTES_SCHEMA, payloadFor(i)))

/** Parsed readings whose structs all share one schema object, as ParseJson would give if it cached its inference. */
const sharedSchemaRecords = (): readonly SourceRecord[] => {
  const schema = inferJsonSchema(JSON.parse(payloadFor(0).toString('utf8')))
  return bytesRecords.map((record, i) => {
    const parsed = JSON.parse((record.value as Buffer).toString('utf8')) as Record<string, unknown>
    const struct = new Struct(schema)
    for (const field of schema.fields ?? []) {
      const raw = parsed[field.name]
      struct.put(field.name, typeof raw === 'number' && Number.isInteger(raw) ? BigInt(raw) : raw)
    }
    return sourceRecord(i, schema, struct)
  })
}

let sink = 0
const consume = (output: unknown): void => {
  if (output !== null && output !== undefined) sink++
}

interface RunResult {
  readonly elapsedNs: number
  /** Results that came back as a promise (an Avro registry call); 0 in the steady state. */
  readonly asyncResults: number
}
type Run = (records: number) => Promise<RunResult>

/** Times `step` over `inputs`, round-robin. */
const timedLoop =
  <I>(inputs: readonly I[], step: (input: I) => unknown): Run =>
  async (records) => {
    let asyncResults = 0
    const started = process.hrtime.bigint()
    for (let i = 0; i < records; i++) {
      const output = step(inputs[i & (RING - 1)]!)
      if (output instanceof Promise) {
        asyncResults++
        consume(await output)
      } else consume(output)
    }
    return { elapsedNs: Number(process.hrtime.bigint() - started), asyncResults }
  }

/** Runs `prepare` untimed on BATCH inputs at a time, then times `step` over its outputs. */
const preparedLoop =
  <I, P>(inputs: readonly I[], prepare: (input: I) => P, step: (prepared: P) => unknown): Run =>
  async (records) => {
    const batch: P[] = []
    let asyncResults = 0
    let elapsed = 0n
    for (let done = 0; done < records; done += BATCH) {
      const size = Math.min(BATCH, records - done)
      for (let j = 0; j < size; j++) batch[j] = prepare(inputs[(done + j) & (RING - 1)]!)
      const started = process.hrtime.bigint()
      for (let j = 0; j < size; j++) {
        const output = step(batch[j]!)
        if (output instanceof Promise) {
          asyncResults++
          consume(await output)
        } else consume(output)
      }
      elapsed += process.hrtime.bigint() - started
    }
    return { elapsedNs: Number(elapsed), asyncResults }
  }

const convertValue =
  (converter: Converter) =>
  (record: ConnectRecord | null): unknown =>
    record === null ? null : converter.fromConnectData(record.topic, record.valueSchema, record.value)

/** With --expose-gc set at run time, `gc` is reachable from a fresh context: heap figures then exclude old garbage. */
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void
const heapMb = (): number => Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10

interface Scenario {
  readonly id: string
  readonly label: string
  readonly run: Run
}

interface ScenarioFigures {
  readonly id: string
  readonly scenario: string
  /** Records per measured run: RECORDS, or fewer for a slow scenario (see RUN_BUDGET_MS). */
  readonly records: number
  readonly recordsPerSecond: number
  readonly nsPerRecord: number
  readonly recordsPerSecondMin: number
  readonly recordsPerSecondMax: number
  /** After a forced GC, before the warm-up. */
  readonly heapBeforeMb: number
  /** Right after the last measured run, garbage included. */
  readonly heapAfterMb: number
  /** After the last measured run and a forced GC: what the scenario retained. */
  readonly heapAfterGcMb: number
  readonly asyncResults: number
  readonly runs: readonly { readonly elapsedMs: number; readonly recordsPerSecond: number; readonly nsPerRecord: number }[]
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}

/** RECORDS, or fewer when the warm-up's wall time per record says a run would exceed `budgetMs`. */
const recordsWithin = (budgetMs: number, warmUpWallMs: number): number => {
  if (budgetMs <= 0 || WARM_UP <= 0) return RECORDS
  const affordable = Math.floor(budgetMs / (warmUpWallMs / WARM_UP) / 1000) * 1000
  return Math.max(MIN_RECORDS, Math.min(RECORDS, affordable))
}

const measure = async ({ id, label, run }: Scenario, budgetMs = RUN_BUDGET_MS): Promise<ScenarioFigures> => {
  collectGarbage()
  const heapBeforeMb = heapMb()
  const warmUpStarted = performance.now()
  if (WARM_UP > 0) await run(WARM_UP)
  const records = recordsWithin(budgetMs, performance.now() - warmUpStarted)
  const runs = []
  let asyncResults = 0
  for (let i = 0; i < RUNS; i++) {
    const result = await run(records)
    asyncResults += result.asyncResults
    runs.push({
      elapsedMs: Math.round(result.elapsedNs / 1e4) / 100,
      recordsPerSecond: Math.round((records / result.elapsedNs) * 1e9),
      nsPerRecord: Math.round(result.elapsedNs / records),
    })
  }
  const heapAfterMb = heapMb()
  collectGarbage()
  const rates = runs.map(({ recordsPerSecond }) => recordsPerSecond)
  const figures: ScenarioFigures = {
    id,
    scenario: label,
    records,
    recordsPerSecond: median(rates),
    nsPerRecord: median(runs.map(({ nsPerRecord }) => nsPerRecord)),
    recordsPerSecondMin: Math.min(...rates),
    recordsPerSecondMax: Math.max(...rates),
    heapBeforeMb,
    heapAfterMb,
    heapAfterGcMb: heapMb(),
    asyncResults,
    runs,
  }
  process.stderr.write(`  ${label}: ${figures.recordsPerSecond} records/s, ${figures.nsPerRecord} ns/record\n`)
  return figures
}

const printAligned = (header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): void => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const format = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`
  console.log(format(header))
  console.log(`|${widths.map((width, i) => (rightAligned.has(i) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`)
  for (const row of rows) console.log(format(row))
}

const printScenarios = (rows: readonly ScenarioFigures[]): void =>
  printAligned(
    ['scenario', 'records', 'records/s', 'ns/record', 'records/s range', 'heap before MB', 'heap after MB'],
    rows.map((row) => [
      row.scenario,
      String(row.records),
      String(row.recordsPerSecond),
      String(row.nsPerRecord),
      `${row.recordsPerSecondMin}–${row.recordsPerSecondMax}`,
      String(row.heapBeforeMb),
      String(row.heapAfterMb),
    ]),
    new Set([1, 2, 3, 5, 6]),
  )

interface StageCost {
  readonly stage: string
  readonly withSchema: { readonly cumulativeNs: number; readonly stageNs: number }
  readonly schemaless: { readonly cumulativeNs: number; readonly stageNs: number }
}

/** Each stage's cost as the difference between the chain up to it and the chain up to the one before. */
const stageCosts = async (): Promise<StageCost[]> => {
  const aliases = ['parse', ...SMT_ALIASES]
  const chains = chainOf(aliases).stages
  const costs: StageCost[] = []
  let previous = { withSchema: 0, schemaless: 0 }
  for (let k = 1; k <= aliases.length; k++) {
    const prefix = aliases.slice(0, k)
    const withSchema = chainOf(prefix)
    const schemaless = chainOf(prefix, false)
    const last = prefix.at(-1)!
    const cumulative = {
      withSchema: (
        await measure({ id: `prefix-${k}`, label: `chain up to ${last}, with schema`, run: timedLoop(bytesRecords, (r) => withSchema.apply(r)) }, STAGE_RUN_BUDGET_MS)
      ).nsPerRecord,
      schemaless: (
        await measure({ id: `prefix-${k}-schemaless`, label: `chain up to ${last}, schemaless`, run: timedLoop(bytesRecords, (r) => schemaless.apply(r)) }, STAGE_RUN_BUDGET_MS)
      ).nsPerRecord,
    }
    const stage = chains[k - 1]!
    const predicate = stage.predicateAlias === null ? '' : ` (predicate ${stage.predicateAlias})`
    costs.push({
      stage: `${stage.alias}: ${stage.className.slice(stage.className.lastIndexOf('.') + 1)}${predicate}`,
      withSchema: { cumulativeNs: cumulative.withSchema, stageNs: cumulative.withSchema - previous.withSchema },
      schemaless: { cumulativeNs: cumulative.schemaless, stageNs: cumulative.schemaless - previous.schemaless },
    })
    previous = cumulative
  }
  return costs
}

interface Registry {
  readonly url: string
  readonly external: boolean
  stop(): Promise<void>
}

const openRegistry = async (): Promise<Registry> => {
  const externalUrl = process.env.SCHEMA_REGISTRY_URL?.trim()
  if (externalUrl !== undefined && externalUrl !== '') return { url: externalUrl.replace(/\/+$/, ''), external: true, stop: async () => {} }
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-transforms-registry-'))
  process.stderr.write('Starting an Apicurio schema registry (about 10-30 s)...\n')
  try {
    const registry = await startSchemaRegistry({ port: await findFreePort(), dataDir, logFile: join(dataDir, 'schema-registry.log'), detached: false })
    return {
      url: registry.url,
      external: false,
      stop: async () => {
        await registry.stop()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}

const main = async (): Promise<void> => {
  const loadBefore = loadavg()
  const fullAliases = ['parse', ...SMT_ALIASES]
  const chain = chainOf(fullAliases)
  const schemalessChain = chainOf(fullAliases, false)
  const smtChain = chainOf(SMT_ALIASES)
  const shared = sharedSchemaRecords()
  const sharedOutputs = shared.map((record) => smtChain.apply(record))

  const sample = chain.apply(bytesRecords[0]!)!
  const jsonWithSchemas = createJsonConverter({ 'schemas.enable': 'true' })
  const jsonWithoutSchemas = createJsonConverter({ 'schemas.enable': 'false' })
  const sampleJson = Buffer.from(jsonWithoutSchemas.fromConnectData(sample.topic, sample.valueSchema, sample.value)!).toString('utf8')
  console.log(`Chain output: topic ${sample.topic}, value ${sampleJson}`)
  console.log(
    `Up to ${RECORDS} records per run (fewer when a run would exceed ${RUN_BUDGET_MS / 1000} s), ${RUNS} runs (median reported), ` +
      `${WARM_UP} warm-up records per scenario; Node ${process.version}\n`,
  )

  const registry = WITH_AVRO ? await openRegistry() : undefined
  try {
    let avro: { converter: Converter; firstCallMs: number; subject: string; registryUrl: string; external: boolean } | undefined
    if (registry !== undefined) {
      const converter = createAvroConverter({ 'schema.registry.url': registry.url })
      const started = performance.now()
      const first = await converter.fromConnectData(sample.topic, sample.valueSchema, sample.value)
      if (first === null) throw new Error('AvroConverter gave no bytes for the sample record')
      const firstCallMs = Math.round((performance.now() - started) * 10) / 10
      avro = { converter, firstCallMs, subject: converter.subject(sample.topic), registryUrl: registry.url, external: registry.external }
      console.log(`AvroConverter: the first call registered subject ${avro.subject} at ${registry.url} in ${firstCallMs} ms; the rows below are the cached steady state.\n`)
    }

    const scenarios: Scenario[] = [
      { id: 'chain', label: 'chain: ParseJson (inferred schema) + 5 SMTs', run: timedLoop(bytesRecords, (r) => chain.apply(r)) },
      { id: 'chain-schemaless', label: 'chain: ParseJson (schemaless) + 5 SMTs', run: timedLoop(bytesRecords, (r) => schemalessChain.apply(r)) },
      { id: 'smts-shared-schema', label: '5 SMTs alone, one shared schema object', run: timedLoop(shared, (r) => smtChain.apply(r)) },
      { id: 'json-schemas', label: 'JsonConverter schemas.enable=true', run: preparedLoop(bytesRecords, (r) => chain.apply(r), convertValue(jsonWithSchemas)) },
      { id: 'json-schemas-shared-schema', label: 'JsonConverter schemas.enable=true, one shared schema object', run: timedLoop(sharedOutputs, convertValue(jsonWithSchemas)) },
      { id: 'json-plain', label: 'JsonConverter schemas.enable=false', run: preparedLoop(bytesRecords, (r) => chain.apply(r), convertValue(jsonWithoutSchemas)) },
    ]
    if (avro !== undefined) {
      scenarios.push(
        { id: 'avro', label: 'AvroConverter (registry id cached)', run: preparedLoop(bytesRecords, (r) => chain.apply(r), convertValue(avro.converter)) },
        { id: 'avro-shared-schema', label: 'AvroConverter (registry id cached), one shared schema object', run: timedLoop(sharedOutputs, convertValue(avro.converter)) },
      )
    }
    const toJson = convertValue(jsonWithSchemas)
    scenarios.push({ id: 'chain-json', label: 'chain + JsonConverter schemas.enable=true', run: timedLoop(bytesRecords, (r) => toJson(chain.apply(r))) })
    if (avro !== undefined) {
      const toAvro = convertValue(avro.converter)
      scenarios.push({ id: 'chain-avro', label: 'chain + AvroConverter (registry id cached)', run: timedLoop(bytesRecords, (r) => toAvro(chain.apply(r))) })
    }

    process.stderr.write('Scenarios:\n')
    const rows: ScenarioFigures[] = []
    for (const scenario of scenarios) rows.push(await measure(scenario))
    process.stderr.write('Stage costs (chain prefixes):\n')
    const stages = await stageCosts()
    const loadAfter = loadavg()

    console.log()
    printScenarios(rows)
    console.log(
      '\nPer stage: ns/record of the chain up to and including the stage, and the difference to the row above ' +
        '(medians of each prefix; differences of noisy medians, so small or negative ones mean "lost in the noise").\n',
    )
    printAligned(
      ['stage', 'with schema: cumulative ns', 'stage ns', 'schemaless: cumulative ns', 'stage ns'],
      stages.map(({ stage, withSchema, schemaless }) => [
        stage,
        String(withSchema.cumulativeNs),
        String(withSchema.stageNs),
        String(schemaless.cumulativeNs),
        String(schemaless.stageNs),
      ]),
      new Set([1, 2, 3, 4]),
    )
    const asyncTotal = rows.reduce((total, row) => total + row.asyncResults, 0)
    const loads = (figures: readonly number[]) => figures.map((load) => load.toFixed(2)).join(' ')
    console.log(
      `\nLoad average before ${loads(loadBefore)}, after ${loads(loadAfter)} on ${availableParallelism()} CPUs: ` +
        'other processes share them, so the figures are noisy.',
    )
    if (avro !== undefined) console.log(`Avro results that needed the registry during the measured runs: ${asyncTotal}.`)

    const resultsDir = join(projectRoot, 'bench', 'results')
    mkdirSync(resultsDir, { recursive: true })
    const date = new Date().toISOString()
    const file = join(resultsDir, `transform-chain-${date.replaceAll(':', '-')}.json`)
    const report = {
      date,
      node: process.version,
      cpus: availableParallelism(),
      loadAverage: { before: loadBefore, after: loadAfter },
      records: RECORDS,
      warmUpRecords: WARM_UP,
      runBudgetMs: RUN_BUDGET_MS,
      stageRunBudgetMs: STAGE_RUN_BUDGET_MS,
      runs: RUNS,
      batchRecords: BATCH,
      distinctInputs: RING,
      samplePayload: payloadFor(0).toString('utf8'),
      connectorConfig: connectorConfig(fullAliases, true),
      avro: avro === undefined ? null : { subject: avro.subject, registryUrl: avro.registryUrl, externalRegistry: avro.external, firstCallMs: avro.firstCallMs },
      scenarios: rows,
      stages,
      checksum: sink,
    }
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
    console.log(`\nwrote ${file}`)
  } finally {
    await registry?.stop()
  }
}

await main()
