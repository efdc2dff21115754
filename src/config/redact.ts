import type { Logger } from '../logger.ts'

/** What Kafka Connect shows in place of a PASSWORD value. */
export const HIDDEN = '[hidden]'

/**
 * Keys that hold a secret whatever plugin reads them: Kafka's PASSWORD-typed client and converter keys, under any
 * prefix (`producer.override.sasl.jaas.config`, `value.converter.basic.auth.user.info`), and any `*password`.
 */
const SECRET_KEY = /(?:password|(?:^|\.)(?:sasl\.jaas\.config|basic\.auth\.user\.info|ssl\.keystore\.key|ssl\.keystore\.certificate\.chain|ssl\.truststore\.certificates))$/i

export const isWellKnownSecretKey = (key: string): boolean => SECRET_KEY.test(key)

/** `scheme://user:secret@host` → `scheme://user:[hidden]@host`, wherever it appears in `text`. */
const URI_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*):([^\s/?#@]*)@/gi

export const hideUriCredentials = (text: string): string => text.replace(URI_CREDENTIALS, (_match, scheme: string, user: string) => `${scheme}${user}:${HIDDEN}@`)

/** The passwords inside URIs in `text`, as written and percent-decoded: either form may turn up in a message. */
const uriPasswordsIn = (text: string): string[] =>
  [...text.matchAll(URI_CREDENTIALS)].flatMap(([, , , password]) => {
    if (password === undefined || password === '') return []
    try {
      return [password, decodeURIComponent(password)]
    } catch {
      return [password]
    }
  })

/**
 * The secret values of a config: those of keys the plugin declares as PASSWORD (`isSecretKey`) or that are secret
 * by name, and passwords in URIs.
 */
export const secretValuesOf = (config: Readonly<Record<string, string>>, isSecretKey: (key: string) => boolean = () => false): string[] =>
  Object.entries(config).flatMap(([key, value]) => [...(value !== '' && (isSecretKey(key) || isWellKnownSecretKey(key)) ? [value] : []), ...uriPasswordsIn(value)])

/** Replaces every occurrence of a secret (longest first, so one secret inside another leaves nothing) and URI credentials. */
export type Redact = (text: string) => string

export const redactorOf = (secrets: Iterable<string>): Redact => {
  const ordered = [...new Set([...secrets].filter((secret) => secret !== ''))].sort((a, b) => b.length - a.length)
  return (text) => {
    let result = text
    for (const secret of ordered) if (result.includes(secret)) result = result.split(secret).join(HIDDEN)
    return hideUriCredentials(result)
  }
}

/** Two redactions as one: what a task's log needs (its connector's secrets, then the worker's). */
export const bothRedactions =
  (first: Redact, second: Redact): Redact =>
  (text) =>
    second(first(text))

/** A copy of `config` safe to show: secret-keyed values hidden, URI credentials hidden. */
export const hiddenConfig = (config: Readonly<Record<string, string>>, isSecretKey: (key: string) => boolean = () => false): Record<string, string> =>
  Object.fromEntries(Object.entries(config).map(([key, value]) => [key, isSecretKey(key) || isWellKnownSecretKey(key) ? HIDDEN : hideUriCredentials(value)]))

/** `value` with every string in it redacted; errors become the plain objects the logger prints, redacted. */
export const redactValue = (value: unknown, redact: Redact, depth = 0): unknown => {
  if (typeof value === 'string') return redact(value)
  if (depth > 6 || value === null || typeof value !== 'object') return value
  if (value instanceof Error) {
    const cause = (value as { cause?: unknown }).cause
    return {
      name: value.name,
      message: redact(value.message),
      stack: value.stack === undefined ? undefined : redact(value.stack),
      ...(cause === undefined ? {} : { cause: redactValue(cause, redact, depth + 1) }),
    }
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, depth + 1))
  if (value instanceof Uint8Array || value instanceof Date) return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, redact, depth + 1)]))
}

const LOG_METHODS = new Set<string | symbol>(['trace', 'debug', 'info', 'warn', 'error'])
const DERIVING_METHODS = new Set<string | symbol>(['child', 'named'])

/**
 * A logger whose every line passes through `redact` first: the message and each field, errors and their stacks
 * included. Wrapping rather than trusting each call site is what keeps a secret out of the log when a library
 * puts one in an error message (an MQTT URI with credentials, a converter echoing its options). A proxy, so that
 * whatever else the logger offers passes through, and loggers derived from it redact too.
 */
export const redactingLogger = (logger: Logger, redact: Redact): Logger =>
  new Proxy(logger, {
    get(target, property) {
      const member: unknown = Reflect.get(target, property, target)
      if (typeof member !== 'function') return member
      const method = member as (...args: unknown[]) => unknown
      if (LOG_METHODS.has(property)) {
        return (message: string, fields?: Readonly<Record<string, unknown>>) =>
          method.call(target, redact(message), fields === undefined ? undefined : redactValue(fields, redact))
      }
      if (DERIVING_METHODS.has(property)) {
        return (...args: unknown[]) => redactingLogger(method.apply(target, args.map((arg) => redactValue(arg, redact))) as Logger, redact)
      }
      return method.bind(target)
    },
  })
