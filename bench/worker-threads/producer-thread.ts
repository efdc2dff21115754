// The Kafka side of a source task in a thread of its own: takes packed batches from the task's thread, sends each
// with the producer source tasks use, and answers with the batch's number once Kafka acknowledged it.
import { parentPort, workerData } from 'node:worker_threads'
import { PlatformaticRecordProducer } from '../../src/kafka/platformatic-producer.ts'
import { unpack, type PackedBatch } from './packed-batch.ts'

const { bootstrap } = workerData as { readonly bootstrap: string }
const producer = new PlatformaticRecordProducer(async () => ({ brokers: [bootstrap] }), 'bench-producer-thread')
await producer.connect()

// One send at a time, in arrival order, as the source runner's queue sends: what arrives meanwhile waits its turn.
let chain: Promise<void> = Promise.resolve()
parentPort!.on('message', (message: { readonly id: number; readonly batch: PackedBatch } | 'close') => {
  if (message === 'close') {
    chain = chain.then(() => producer.disconnect()).then(() => parentPort!.close())
    return
  }
  const { id, batch } = message
  chain = chain.then(async () => {
    await producer.send(unpack(batch))
    parentPort!.postMessage(id)
  })
})
parentPort!.postMessage('ready')
