import type { z } from 'zod'
import type { ConfigProblem, ConfigSchema } from './config.ts'
import type { SinkTask } from './sink-task.ts'
import type { SourceTask } from './source-task.ts'

export type ConnectorType = 'source' | 'sink'

/** A task's config: the strings Kafka Connect stores in the config topic as `task-<connector>-<n>`. */
export type TaskConfig = Readonly<Record<string, string>>

/** A config as some plugin's schema parsed it, when the runtime need not know which plugin. */
export type ParsedConfig = z.output<ConfigSchema>

interface ConnectorPluginBase<S extends ConfigSchema, T extends ConfigSchema> {
  /** What `connector.class` names; also how `GET /connector-plugins` lists it. */
  readonly className: string
  /** Other names `connector.class` accepts, such as Confluent's class for the same job. */
  readonly aliases: readonly string[]
  readonly version: string
  /** The connector's own keys; the runtime adds the common ones (name, tasks.max, converters, transforms, errors.*). */
  readonly config: S
  /**
   * Rules that span several keys, and checks of what the keys name (files), run once each key is valid on its own;
   * each problem names the key to change. Never connects anywhere.
   */
  validate?(config: z.output<S>): Promise<readonly ConfigProblem[]>
  /**
   * Splits the connector's work into at most `maxTasks` task configs. Called whenever the connector (re)starts; the
   * runtime stores the result in the config topic and hands one entry to each task's `start()`.
   */
  taskConfigs(config: z.output<S>, rawConfig: TaskConfig, maxTasks: number): TaskConfig[]
  /**
   * The keys of one task config, when `taskConfigs()` adds some of its own; `config` otherwise. The runtime parses
   * each stored task config with it and hands the result to the task's `start()`, so a task never parses strings.
   */
  readonly taskConfig?: T
}

export interface SourceConnectorPlugin<S extends ConfigSchema = ConfigSchema, T extends ConfigSchema = S> extends ConnectorPluginBase<S, T> {
  readonly type: 'source'
  createTask(): SourceTask<z.output<T>>
}

export interface SinkConnectorPlugin<S extends ConfigSchema = ConfigSchema, T extends ConfigSchema = S> extends ConnectorPluginBase<S, T> {
  readonly type: 'sink'
  createTask(): SinkTask<z.output<T>>
}

export type ConnectorPlugin = SourceConnectorPlugin | SinkConnectorPlugin
