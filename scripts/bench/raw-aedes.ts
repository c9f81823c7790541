/**
 * A bare aedes broker (no Chorus: no authentication, no ACL, no hooks) on a free loopback port,
 * run as a child by the bench for the embedded broker's floor: `node --import tsx
 * scripts/bench/raw-aedes.ts` prints `listening <port>` and runs until it is signalled.
 */
import { createServer } from 'node:net'
import { Aedes } from 'aedes'

const aedes = await Aedes.createBroker()
const server = createServer(aedes.handle)
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number }
  console.log(`listening ${port}`)
})
process.on('SIGTERM', () => {
  server.close()
  aedes.close(() => process.exit(0))
})
