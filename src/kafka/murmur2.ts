const SEED = 0x9747b28c
const M = 0x5bd1e995

/**
 * Kafka's murmur2 (`org.apache.kafka.common.utils.Utils.murmur2`) in 32-bit integer arithmetic: the hash the Java
 * client's default partitioner takes of a record key, so that a key lands on the partition Kafka Connect would pick.
 */
export const murmur2 = (data: Uint8Array): number => {
  const length = data.length
  let h = SEED ^ length
  const whole = length & ~3
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
    k = Math.imul(k, M)
    k ^= k >>> 24
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }
  const rest = length & 3
  if (rest === 3) h ^= data[whole + 2]! << 16
  if (rest >= 2) h ^= data[whole + 1]! << 8
  if (rest >= 1) h = Math.imul(h ^ data[whole]!, M)
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h
}

/** What the Java client's default partitioner takes modulo the partitions for a keyed record: murmur2, made positive. */
export const keyHash = (key: Uint8Array): number => murmur2(key) & 0x7fffffff

/** The Java client's partition for a keyed record. */
export const partitionForKey = (key: Uint8Array, partitions: number): number => keyHash(key) % partitions
