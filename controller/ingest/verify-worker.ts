import { parentPort } from 'node:worker_threads'
import { checkBatchSignatures } from './event-signature.js'
import type { VerifyJob, VerifyResult } from './verify-pool.js'

// The worker thread of verify-pool.ts: checks each job's signatures (message or events), answers in order.
parentPort?.on('message', (job: VerifyJob) => {
  const result: VerifyResult = {
    id: job.id,
    refusals: checkBatchSignatures(job.key, job.message),
  }
  parentPort?.postMessage(result)
})
