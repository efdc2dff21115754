import type { ConnectorPlugin } from '../plugin/connector.ts'
import { commonConnectorConfigSchema, sourceConnectorConfigSchema } from './connector-config.ts'
import { describeConfig, type ConfigKeyInfo } from './describe.ts'

const DEAD_LETTER_PREFIX = 'errors.deadletterqueue.'
/** A sink's topic keys are framework keys in Kafka Connect (SinkConnectorConfig), listed in the Common group. */
const SINK_TOPIC_KEYS: ReadonlySet<string> = new Set(['topics', 'topics.regex'])

/**
 * A connector plugin's keys split as Kafka Connect lists them: the framework's (ConnectorConfig's, then
 * SinkConnectorConfig's or SourceConnectorConfig's, in their order and groups) and the plugin's own. The dead-letter
 * keys are a sink's in Kafka Connect; here sources have a dead-letter topic too, so theirs follow the error keys as well.
 */
export const connectorKeyInfos = (plugin: ConnectorPlugin): { readonly framework: ConfigKeyInfo[]; readonly own: ConfigKeyInfo[] } => {
  const common = describeConfig(commonConnectorConfigSchema)
  const base = common.filter(({ name }) => !name.startsWith(DEAD_LETTER_PREFIX))
  const deadLetters = common.filter(({ name }) => name.startsWith(DEAD_LETTER_PREFIX))
  const own = describeConfig(plugin.config)
  if (plugin.type === 'source') return { framework: [...base, ...deadLetters, ...describeConfig(sourceConnectorConfigSchema)], own }
  const topicKeys = own.filter(({ name }) => SINK_TOPIC_KEYS.has(name)).map((key) => ({ ...key, group: 'Common' }))
  return { framework: [...base, ...topicKeys, ...deadLetters], own: own.filter(({ name }) => !SINK_TOPIC_KEYS.has(name)) }
}
