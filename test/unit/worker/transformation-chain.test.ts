import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import type { ConnectRecord } from '../../../src/data/record.ts'
import { documented } from '../../../src/plugin/config.ts'
import { ConfigError } from '../../../src/plugin/errors.ts'
import type { TransformationPlugin } from '../../../src/plugin/transformation.ts'
import { describeTransformationKeys } from '../../../src/config/transforms-config.ts'
import { buildTransformationChain, emptyTransformationChain, type TransformationChain } from '../../../src/worker/transformation-chain.ts'
import { predicatePlugins, transformationPlugins } from '../../../transforms/index.ts'
import { sinkRecord, sourceRecord } from '../transforms/records.ts'

const registry = { transformations: transformationPlugins, predicates: predicatePlugins }

const chainOf = (config: Record<string, string>): TransformationChain => {
  const built = buildTransformationChain(config, registry)
  if (!built.ok) assert.fail(`chain rejected: ${JSON.stringify(built.problems)}`)
  return built.chain
}

const problemsOf = (config: Record<string, string>) => {
  const built = buildTransformationChain(config, registry)
  assert.equal(built.ok, false, 'expected the chain to be rejected')
  return built.ok ? [] : built.problems
}

const problemOn = (config: Record<string, string>, key: string) => {
  const problem = problemsOf(config).find((p) => p.key === key)
  assert.ok(problem, `expected a problem on ${key}, got ${JSON.stringify(problemsOf(config))}`)
  return problem.message
}

describe('buildTransformationChain', () => {
  it('gives the empty chain when there are no transforms', () => {
    const chain = chainOf({ name: 'c' })
    assert.equal(chain, emptyTransformationChain)
    const record = sourceRecord({ value: 'v' })
    assert.equal(chain.apply(record), record)
    assert.equal(chainOf({ transforms: '' }).stages.length, 0)
  })

  it('applies transformations in the order transforms lists them', () => {
    const chain = chainOf({
      transforms: 'hoist, addTopic',
      'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
      'transforms.hoist.field': 'payload',
      'transforms.addTopic.type': 'InsertField$Value',
      'transforms.addTopic.topic.field': 'topic',
    })
    assert.deepEqual(
      chain.stages.map((s) => [s.alias, s.className]),
      [
        ['hoist', 'org.apache.kafka.connect.transforms.HoistField$Value'],
        ['addTopic', 'org.apache.kafka.connect.transforms.InsertField$Value'],
      ],
    )
    const result = chain.apply(sourceRecord({ topic: 'sensors', value: 21.5 }))
    assert.deepEqual(result?.value, { payload: 21.5, topic: 'sensors' })
    assert.deepEqual(result?.sourceOffset, { position: 1 }, 'the record keeps its own fields')
  })

  it('finds classes by full name, alias, or simple name', () => {
    for (const type of ['org.apache.kafka.connect.transforms.RegexRouter', 'RegexRouter']) {
      const chain = chainOf({ transforms: 'r', 'transforms.r.type': type, 'transforms.r.regex': 'a', 'transforms.r.replacement': 'b' })
      assert.equal(chain.apply(sourceRecord({ topic: 'a' }))?.topic, 'b')
    }
  })

  it('stops at the first transformation that drops the record', () => {
    const chain = chainOf({
      transforms: 'drop,route',
      'transforms.drop.type': 'Filter',
      'transforms.route.type': 'RegexRouter',
      'transforms.route.regex': '.*',
      'transforms.route.replacement': 'never',
    })
    assert.equal(chain.apply(sourceRecord()), null)
  })

  it('applies a transformation only to records its predicate matches', () => {
    const chain = chainOf({
      transforms: 'dropTombstones',
      'transforms.dropTombstones.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.dropTombstones.predicate': 'isTombstone',
      predicates: 'isTombstone',
      'predicates.isTombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    })
    assert.equal(chain.apply(sinkRecord({ value: null })), null)
    const live = sinkRecord({ value: 'v' })
    assert.equal(chain.apply(live), live)
    assert.equal(chain.stages[0]?.predicateAlias, 'isTombstone')
  })

  it('inverts the predicate with negate', () => {
    const chain = chainOf({
      transforms: 'keepSensors',
      'transforms.keepSensors.type': 'Filter',
      'transforms.keepSensors.predicate': 'sensors',
      'transforms.keepSensors.negate': 'true',
      predicates: 'sensors',
      'predicates.sensors.type': 'TopicNameMatches',
      'predicates.sensors.pattern': 'sensors-.*',
    })
    assert.notEqual(chain.apply(sourceRecord({ topic: 'sensors-1' })), null)
    assert.equal(chain.apply(sourceRecord({ topic: 'other' })), null)
  })

  it('lets one predicate serve several transformations', () => {
    const chain = chainOf({
      transforms: 'a,b',
      'transforms.a.type': 'InsertHeader',
      'transforms.a.header': 'a',
      'transforms.a.value.literal': 'x',
      'transforms.a.predicate': 'has',
      'transforms.b.type': 'InsertHeader',
      'transforms.b.header': 'b',
      'transforms.b.value.literal': 'y',
      'transforms.b.predicate': 'has',
      'transforms.b.negate': 'TRUE',
      predicates: 'has',
      'predicates.has.type': 'HasHeaderKey',
      'predicates.has.name': 'marker',
    })
    const marked = chain.apply(sourceRecord({ headers: [{ key: 'marker', schema: null, value: null }] }))
    assert.deepEqual(
      marked?.headers.map((h) => h.key),
      ['marker', 'a'],
    )
    assert.deepEqual(
      chain.apply(sourceRecord())?.headers.map((h) => h.key),
      ['b'],
    )
  })

  it('lets exceptions from a transformation through', () => {
    const chain = chainOf({ transforms: 'route', 'transforms.route.type': 'TimestampRouter' })
    assert.throws(() => chain.apply(sourceRecord({ timestamp: null })), /Timestamp missing/)
  })

  describe('reports every problem with its full key', () => {
    it('a missing or unknown type, naming the available classes', () => {
      assert.match(problemOn({ transforms: 'x' }, 'transforms.x.type'), /Missing required configuration "transforms.x.type"/)
      const message = problemOn({ transforms: 'x', 'transforms.x.type': 'com.example.Nope' }, 'transforms.x.type')
      assert.match(message, /Class com.example.Nope could not be found/)
      assert.match(message, /org\.apache\.kafka\.connect\.transforms\.Cast\$Value/)
    })

    it("a transformation's own config", () => {
      const problems = problemsOf({
        transforms: 'addSite,cast',
        'transforms.addSite.type': 'InsertField$Value',
        'transforms.addSite.static.field': 'site',
        'transforms.addSite.replace.null.with.default': 'maybe',
        'transforms.cast.type': 'Cast$Value',
      })
      assert.deepEqual(problems.map((p) => p.key).sort(), ['transforms.addSite.replace.null.with.default', 'transforms.cast.spec'])
      assert.match(problems.find((p) => p.key === 'transforms.cast.spec')?.message ?? '', /Missing required configuration "transforms.cast.spec"/)
      assert.match(problems.find((p) => p.key === 'transforms.addSite.replace.null.with.default')?.message ?? '', /Invalid value maybe for configuration transforms.addSite.replace.null.with.default/)
    })

    it('a rule spanning several keys, on the key it names', () => {
      const message = problemOn({ transforms: 'ts', 'transforms.ts.type': 'TimestampConverter$Value', 'transforms.ts.target.type': 'string' }, 'transforms.ts.format')
      assert.match(message, /requires format option/)
    })

    it('duplicate aliases', () => {
      assert.match(problemOn({ transforms: 'a,a', 'transforms.a.type': 'Filter' }, 'transforms'), /Duplicate alias provided/)
    })

    it('a predicate that is not listed, and negate without a predicate', () => {
      assert.match(
        problemOn({ transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.predicate': 'ghost' }, 'transforms.f.predicate'),
        /predicate 'ghost' is not listed in 'predicates'/,
      )
      assert.match(problemOn({ transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.negate': 'true' }, 'transforms.f.negate'), /there is no config 'transforms.f.predicate'/)
      assert.match(
        problemOn({ transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.predicate': 'p', 'transforms.f.negate': 'nope', predicates: 'p', 'predicates.p.type': 'RecordIsTombstone' }, 'transforms.f.negate'),
        /either true or false/,
      )
    })

    it("a predicate's type and config", () => {
      assert.match(problemOn({ predicates: 'p' }, 'predicates.p.type'), /Missing required configuration/)
      assert.match(problemOn({ predicates: 'p', 'predicates.p.type': 'Nope' }, 'predicates.p.type'), /TopicNameMatches/)
      assert.match(problemOn({ predicates: 'p', 'predicates.p.type': 'TopicNameMatches', 'predicates.p.pattern': '[' }, 'predicates.p.pattern'), /Java-compatible regular expression/)
    })

    it('a ConfigError thrown while creating the transformation', () => {
      const strict: TransformationPlugin = {
        className: 'com.example.Strict',
        aliases: [],
        version: '1',
        config: z.object({ limit: documented(z.string(), { description: 'A limit.' }) }),
        create: (config: { limit: string }) => {
          throw new ConfigError('limit', config.limit, 'is too strict')
        },
      }
      const built = buildTransformationChain(
        { transforms: 's', 'transforms.s.type': 'com.example.Strict', 'transforms.s.limit': '3' },
        { transformations: [strict], predicates: [] },
      )
      assert.deepEqual(built.ok ? [] : built.problems, [{ key: 'transforms.s.limit', message: 'Invalid value 3 for configuration transforms.s.limit: is too strict' }])
    })
  })

  it('passes a transformation only its own keys, without the prefix', () => {
    let seen: unknown
    const spy: TransformationPlugin = {
      className: 'com.example.Spy',
      aliases: [],
      version: '1',
      config: z.looseObject({}),
      create: (config: unknown) => {
        seen = config
        return { apply: <R extends ConnectRecord>(record: R) => record }
      },
    }
    buildTransformationChain(
      { transforms: 's', 'transforms.s.type': 'com.example.Spy', 'transforms.s.a.b': '1', 'transforms.s.predicate': 'p', 'transforms.s.negate': 'false', 'transforms.other.x': '2', predicates: 'p', 'predicates.p.type': 'RecordIsTombstone' },
      { transformations: [spy], predicates: predicatePlugins },
    )
    assert.deepEqual(seen, { 'a.b': '1' })
  })
})

describe('describeTransformationKeys', () => {
  it("lists each alias's runtime keys and its plugin's keys, prefixed and grouped", () => {
    const keys = describeTransformationKeys(
      {
        transforms: 'addSite',
        'transforms.addSite.type': 'InsertField$Value',
        predicates: 'p',
        'predicates.p.type': 'TopicNameMatches',
      },
      registry,
    )
    const byKey = new Map(keys.map((k) => [k.key, k]))
    assert.equal(byKey.get('transforms.addSite.type')?.required, true)
    assert.equal(byKey.get('transforms.addSite.negate')?.defaultValue, 'false')
    assert.equal(byKey.get('transforms.addSite.predicate')?.required, false)
    assert.equal(byKey.get('transforms.addSite.static.field')?.group, 'Transforms: addSite')
    assert.equal(byKey.get('transforms.addSite.replace.null.with.default')?.defaultValue, 'true')
    assert.match(byKey.get('transforms.addSite.topic.field')?.description ?? '', /Field name for Kafka topic/)
    assert.equal(byKey.get('predicates.p.pattern')?.required, true)
    assert.equal(byKey.get('predicates.p.pattern')?.group, 'Predicates: p')
  })

  it('lists only the type key of an alias whose class is unknown', () => {
    const keys = describeTransformationKeys({ transforms: 'x', 'transforms.x.type': 'Nope' }, registry)
    assert.deepEqual(
      keys.map((k) => k.key),
      ['transforms.x.type', 'transforms.x.predicate', 'transforms.x.negate'],
    )
  })
})
