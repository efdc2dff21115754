import type { Admin, Kafka } from 'kafkajs'
import type { Logger } from '../logger.ts'

export { DEFAULT_METADATA_MAX_AGE_MS } from '../config/metadata-max-age.ts'

/**
 * The topics a pattern subscription covers, looked up again every `metadata.max.age.ms`. kafkajs resolves a pattern
 * once, when the consumer subscribes; the Java consumer re-resolves it with every metadata refresh, so a topic created
 * later is consumed too. This tells its owner when the cluster has a matching topic the subscription lacks.
 */
export class PatternTopics {
  private admin: Admin | null = null
  private timer: NodeJS.Timeout | null = null
  private checking: Promise<void> = Promise.resolve()
  private known: ReadonlySet<string> = new Set()

  constructor(
    private readonly kafka: Kafka,
    private readonly pattern: RegExp,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** The matching topics now; what later checks compare against. */
  async current(): Promise<ReadonlySet<string>> {
    this.admin ??= this.kafka.admin()
    await this.admin.connect()
    const topics = (await this.admin.listTopics()).filter((topic) => this.pattern.test(topic))
    return new Set(topics)
  }

  /** Calls `onNewTopics` (awaited, one call at a time) whenever a matching topic appears beyond `known`. */
  watch(known: ReadonlySet<string>, onNewTopics: (topics: readonly string[]) => Promise<void>): void {
    this.known = known
    this.timer = setInterval(() => {
      this.checking = this.checking.then(async () => {
        try {
          const now = await this.current()
          const added = [...now].filter((topic) => !this.known.has(topic))
          if (added.length === 0) return
          this.known = now
          await onNewTopics(added)
        } catch (error) {
          this.logger.warn('could not look for new topics matching topics.regex; trying again at the next metadata refresh', { error })
        }
      })
    }, this.intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    await this.checking
    await this.admin?.disconnect()
    this.admin = null
  }
}
