import { parseProperties } from '../../config/properties.ts'

export const PROPERTY_FILE_LOGIN_MODULE = 'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule'

/**
 * The users file named by the `KafkaConnect` section of a JAAS file, as Kafka Connect's basic auth extension reads it:
 * `KafkaConnect { org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required file="…"; };`.
 * Any other login module is refused: nothing named in the file is ever loaded.
 */
export const usersFileOfJaas = (text: string): { readonly file: string } | { readonly problem: string } => {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*(?:\/\/|#).*$/gm, '')
  const section = /(?:^|[\s;}])KafkaConnect\s*\{([\s\S]*?)\}\s*;/.exec(withoutComments)
  if (section === null) return { problem: 'has no KafkaConnect { ... }; section' }
  const entries = section[1]!.split(';').map((entry) => entry.trim()).filter((entry) => entry !== '')
  if (entries.length !== 1) return { problem: 'the KafkaConnect section must hold exactly one login module' }
  const match = /^(\S+)\s+(required|requisite|sufficient|optional)\b([\s\S]*)$/.exec(entries[0]!)
  if (match === null) return { problem: 'the KafkaConnect section is not "<LoginModule> required file=\\"...\\";"' }
  if (match[1] !== PROPERTY_FILE_LOGIN_MODULE) return { problem: `login module ${match[1]} is not supported; use ${PROPERTY_FILE_LOGIN_MODULE}` }
  const file = /(?:^|\s)file\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(match[3]!)
  if (file === null) return { problem: `${PROPERTY_FILE_LOGIN_MODULE} needs file="/path/to/users.properties"` }
  return { file: file[1]!.replace(/\\(.)/g, '$1') }
}

/** `user: password` (or `user=password`) lines, as java.util.Properties reads the file. */
export const parseUsersFile = (text: string): Map<string, string> => new Map(Object.entries(parseProperties(text)))
