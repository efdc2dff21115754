import type { ConnectorPlugin } from '../../src/plugin/index.ts'
import { mqttSinkConnector } from './sink-connector.ts'
import { mqttSourceConnector } from './source-connector.ts'

export const connectors: readonly ConnectorPlugin[] = [mqttSourceConnector, mqttSinkConnector]
