#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the package needs no build step: `npx mqtt-kafka-connect worker`.
import { register } from 'tsx/esm/api'

register()
await import('../app/main.ts')
