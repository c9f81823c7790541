import { parentPort } from 'node:worker_threads'
import { checkEventSignature } from './event-signature.js'
import type { VerifyJob, VerifyResult } from './verify-pool.js'

// The worker thread of verify-pool.ts: checks each job's event signatures, answers in order.
parentPort?.on('message', (job: VerifyJob) => {
  const result: VerifyResult = {
    id: job.id,
    refusals: job.events.map((e) => checkEventSignature(job.key, e)),
  }
  parentPort?.postMessage(result)
})
