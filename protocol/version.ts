/** Version of the MQTT contract; it is the `v` field of every payload and part of the topic root. */
export const PROTOCOL_VERSION = 1

/** Root of every Chorus topic. A breaking change to the contract moves to `chorus/v2`. */
export const TOPIC_ROOT = 'chorus/v1'
