import type { EventEmitter } from 'node:events'
import type { AedesOptions, AuthenticateError, Client } from 'aedes'
import { type Identity, mayPublish, maySubscribe } from './acl.js'
import type { BrokerEvents } from './events.js'

/** Where the broker learns who a client is; the controller implements it over its database. */
export interface CredentialStore {
  /** The identity these credentials prove, or null when they are wrong or revoked. */
  authenticate(username: string, password: Buffer): Identity | null | Promise<Identity | null>
}

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError
}

/**
 * Adapts a CredentialStore and the pure ACL to aedes' callback hooks. A node must use its node
 * id as both client id and username, so that a second connection with the same identity takes
 * over the first one instead of running beside it.
 */
export function createAuthHooks(
  credentials: CredentialStore,
  identities: WeakMap<Client, Identity>,
  events: EventEmitter<BrokerEvents>,
): Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'> {
  return {
    authenticate(client, username, password, done) {
      const reject = (reason: string, code: 4 | 5) => {
        events.emit('rejected', { clientId: client.id, reason })
        done(authError(reason, code), false)
      }
      if (!username || !password) return reject('missing credentials', 4)
      Promise.resolve(credentials.authenticate(username, password)).then(
        (identity) => {
          if (!identity) return reject('bad username or password', 4)
          if (identity.kind === 'node' && client.id !== identity.nodeId) {
            return reject('client id must equal the node id', 5)
          }
          identities.set(client, identity)
          done(null, true)
        },
        () => reject('credential store failed', 4),
      )
    },
    authorizePublish(client, packet, callback) {
      // Messages the broker itself publishes (wills are checked at connect time) have no client.
      if (!client) return callback(null)
      const identity = identities.get(client)
      if (identity && mayPublish(identity, packet.topic, packet.retain)) return callback(null)
      events.emit('rejected', {
        clientId: client.id,
        reason: 'publish denied',
        topic: packet.topic,
      })
      callback(new Error('publish denied'))
    },
    authorizeSubscribe(client, subscription, callback) {
      const identity = identities.get(client)
      if (identity && maySubscribe(identity, subscription.topic)) {
        return callback(null, subscription)
      }
      events.emit('rejected', {
        clientId: client.id,
        reason: 'subscribe denied',
        topic: subscription.topic,
      })
      // A null subscription makes aedes answer SUBACK 0x80 (failure) without disconnecting.
      callback(null, null)
    },
  }
}
