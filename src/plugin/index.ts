/** The plugin API: the only runtime code that connectors/ and transforms/ import (with src/data). */
export type { ConnectorPlugin, ConnectorType, SinkConnectorPlugin, SourceConnectorPlugin, TaskConfig } from './connector.ts'
export type { RecordMetadata, SourceTask, SourceTaskContext, TaskId } from './source-task.ts'
export type { SinkTask, SinkTaskContext, TopicPartitionOffset } from './sink-task.ts'
export type { Converter, ConverterPlugin, HeaderConverter, HeaderConverterPlugin, MaybePromise } from './converter.ts'
export type { Predicate, PredicatePlugin, Transformation, TransformationPlugin } from './transformation.ts'
export type { ConfigKeyMeta, ConfigProblem, ConfigSchema, ConfigType, Importance, ParseResult } from './config.ts'
export { booleanString, csvList, documented, intString, parseConfig, withPrefixStripped } from './config.ts'
export { ConfigError, ConnectError, DataError, RetriableError } from './errors.ts'
