#!/usr/bin/env node
// The `mqtt-kafka-connect` command, built to dist/bin/. Plugins on plugin.path import the worker's own plugin API
// (`mqtt-kafka-connect/plugin`), so the resolution hooks go in before the worker loads anything.
import { register } from 'node:module'
import { extname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PACKAGE_ROOT } from '../src/package-info.ts'
import type { PluginApiHooksData } from './plugin-api-hooks.ts'

const data: PluginApiHooksData = { packageJsonUrl: pathToFileURL(join(PACKAGE_ROOT, 'package.json')).href }
register(`./plugin-api-hooks${extname(fileURLToPath(import.meta.url))}`, { parentURL: import.meta.url, data })
await import('../app/main.ts')
