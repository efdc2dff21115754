import type { ConnectorPlugin } from '../../src/plugin/index.ts'
import { mqttSourceConnector } from './source-connector.ts'

export const connectors: readonly ConnectorPlugin[] = [mqttSourceConnector]
