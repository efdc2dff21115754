/**
 * A log4j2 YAML config for the JVM services we start (the Kafka broker, Kafka Connect): WARN to stdout keeps their
 * logs readable, and one logger at INFO keeps the line that says the service is up.
 */
export const log4j2ConsoleConfig = (loggerAtInfo: string): string =>
  [
    'Configuration:',
    '  Appenders:',
    '    Console:',
    '      name: STDOUT',
    '      PatternLayout:',
    '        pattern: "[%d] %p %m (%c)%n"',
    '  Loggers:',
    '    Root:',
    '      level: WARN',
    '      AppenderRef:',
    '        - ref: STDOUT',
    '    Logger:',
    `      - name: ${loggerAtInfo}`,
    '        level: INFO',
    '',
  ].join('\n')
