// `npm run kafka:lock`: writes scripts/kafka/jars.lock from what Maven resolves for scripts/kafka/pom.xml, so that a
// machine without Maven downloads the very same jars (scripts/infra/kafka-classpath.ts). Run it after changing the pom.
import { writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { findExecutable } from '../infra/executables.ts'
import { kafkaLockFile, kafkaPomFile, mavenClasspath } from '../infra/kafka-classpath.ts'
import { formatArtifactLock, sha256Of } from '../infra/maven-central.ts'
import { projectRoot } from '../infra/paths.ts'

const PLACEHOLDER = '@LOCAL_REPOSITORY@'

const mvn = findExecutable('mvn')
if (mvn === undefined) throw new Error('npm run kafka:lock needs Maven: apt-get install -y maven')

// The same resolution twice, once with absolute paths (to hash the jars) and once relative to the local repository.
const absolute = (await mavenClasspath(mvn)).split(':')
const relativeToRepository = (await mavenClasspath(mvn, PLACEHOLDER)).split(':')
if (absolute.length !== relativeToRepository.length) throw new Error('Maven gave two different classpaths for the same pom')

const artifacts = relativeToRepository.map((entry, index) => {
  if (!entry.startsWith(`${PLACEHOLDER}/`)) throw new Error(`${entry} is not in the local Maven repository`)
  return { path: entry.slice(PLACEHOLDER.length + 1), sha256: sha256Of(absolute[index]!) }
})
const pomName = relative(projectRoot, kafkaPomFile)
const text = formatArtifactLock({ pomSha256: sha256Of(kafkaPomFile), artifacts }, [
  `The Kafka broker's classpath as Maven resolves ${pomName}, in Maven's order: written by \`npm run kafka:lock\`, do not edit.`,
  'Without Maven, scripts/infra/kafka-classpath.ts downloads these files from Maven Central and checks each one',
  "against the checksum Maven Central serves beside it and the sha256 here.",
])
writeFileSync(kafkaLockFile, text)
console.log(`${relative(projectRoot, kafkaLockFile)}: ${artifacts.length} jars for ${join(pomName)}`)
