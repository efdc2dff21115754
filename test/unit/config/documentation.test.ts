import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { describeConfig } from '../../../src/config/describe.ts'
import { validateConnectorConfig } from '../../../src/config/validate.ts'
import { builtinPlugins } from '../../../app/builtin-plugins.ts'
import { configurationReference } from '../../../scripts/config-docs.ts'
import { projectRoot } from '../../../scripts/infra/paths.ts'

describe('configuration documentation and examples', () => {
  it('docs/configuration.md is what the config declarations generate (run npm run docs after changing a key)', () => {
    assert.equal(readFileSync(join(projectRoot, 'docs/configuration.md'), 'utf8'), configurationReference())
  })

  for (const plugin of builtinPlugins.connectors) {
    it(`${plugin.className} documents every key`, () => {
      const undocumented = describeConfig(plugin.config).filter(({ documentation }) => documentation.trim() === '')
      assert.deepEqual(undocumented.map(({ name }) => name), [])
    })
  }

  const examples = readdirSync(join(projectRoot, 'examples')).filter((file) => file.endsWith('.json'))
  for (const file of examples) {
    it(`examples/${file} is a valid connector config`, async () => {
      const { name, config } = JSON.parse(readFileSync(join(projectRoot, 'examples', file), 'utf8')) as { name: string; config: Record<string, string> }
      const { problems } = await validateConnectorConfig(builtinPlugins, { ...config, name })
      // Examples name certificate files of the machine they are deployed on; here those are the only thing missing.
      const missingFiles = problems.filter(({ key, message }) => key.endsWith('.file') && message.endsWith('file not found'))
      assert.deepEqual(missingFiles.map(({ key }) => key), Object.keys(config).filter((key) => key.endsWith('.file')))
      assert.deepEqual(problems.filter((problem) => !missingFiles.includes(problem)), [])
    })
  }
})
