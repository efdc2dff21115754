// `npm run docs`: regenerates docs/configuration.md from the config declarations.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from './infra/paths.ts'
import { configurationReference } from './config-docs.ts'

const file = join(projectRoot, 'docs', 'configuration.md')
writeFileSync(file, configurationReference())
console.log(`wrote ${file}`)
