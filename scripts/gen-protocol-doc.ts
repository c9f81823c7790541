/**
 * Renders docs/protocol.md from the TypeBox schemas in protocol/ plus the prose below, so the
 * document cannot drift from the code: `npm run docs:protocol` rewrites it, and
 * test/docs.test.ts fails when the committed file differs from what this renders.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  CommandMessageSchema,
  EventsMessageSchema,
  FLEET_TOPICS,
  PlanMessageSchema,
  RebirthMessageSchema,
  ReceiptMessageSchema,
  StatusMessageSchema,
  TelemetryMessageSchema,
} from '../protocol/index.js'

interface Section {
  title: string
  topic: string
  direction: string
  qos: string
  retain: string
  prose: string
  schema: unknown
  example: unknown
}

const at = '2026-11-27T08:00:00.000+08:00'
const node = 'node-3f9a1c2b7e'

const sections: Section[] = [
  {
    title: 'status',
    topic: 'chorus/v1/nodes/{nodeId}/status',
    direction: 'agent → controller',
    qos: '1',
    retain: 'no (never: see "Why no retained messages")',
    prose: `The agent publishes a **birth** (\`state: "online"\`, \`reason: "birth"\`) right after every
connect and subscribe, naming the plan version it holds (\`null\` when it holds none). The same
topic carries its **last will** (\`state: "offline"\`, \`reason: "will"\`), set at connect, which the
broker publishes when the connection dies without a DISCONNECT, and a clean \`reason: "shutdown"\`
before a deliberate stop. A \`rebirth\` request makes every agent publish its birth again with
\`reason: "rebirth"\`. An offline status whose \`bootId\` is not the node's current boot (a late will
of a previous connection) is ignored. The controller also watches the embedded broker's own
disconnect events (socket closed, keepalive timeout), so a node whose socket dies is offline even
if no will arrives. A birth also carries \`nodeKey\`, the node's event-signing public key (SPKI
PEM), which the controller pins on first use when the node has none (see "Signed events").`,
    schema: StatusMessageSchema,
    example: {
      v: 1,
      state: 'online',
      nodeId: node,
      bootId: '5b0c…',
      agentVersion: '0.1.0',
      planVersion: '9c1e44a0b2d3f7e1',
      at,
      reason: 'birth',
    },
  },
  {
    title: 'plan',
    topic: 'chorus/v1/nodes/{nodeId}/plan',
    direction: 'controller → agent',
    qos: '1',
    retain: 'no',
    prose: `Everything the node must play today and on the next \`horizonDays\` days (default 7), replacing
what it held. \`version\` is a content hash of the items, so an unchanged plan has an unchanged
version and is never resent. Delivered by the **version handshake**: when a birth names a version
other than the node's current one, the controller sends the current plan at once; when a change
(a running order, the day boundary) alters a node's plan, the controller pushes it to that node.
Audio is never inside MQTT: each item names the file by \`sha256\` and a \`url\` (relative to the
controller's URL) from which the agent downloads it with HTTP range requests and verifies the hash.
The download needs the node's own credentials (HTTP Basic \`nodeId:secret\`, sent only to the
controller's origin); without them the controller answers 401.
The agent stores the plan on disk (atomically) and reports \`plan.applied\`.

Items are scheduled segments, or announcements (插播, \`kind: "announcement"\`, added in issue 3):
an announcement is played whole, and a node that could not start it at \`startAt\` (busy with
another announcement, or it received the plan late) still starts it until \`latestStartAt\`. The
priority order is carried by \`priority\` (emergency 95 > live voice 90 > urgent 80 > live relay 70 >
scheduled segments 0–60): a higher priority cuts what is playing; a segment cut or held up by an announcement resumes in
progress after it. \`drill: true\` marks a drill item; only test nodes receive those, and they
echo \`drill: true\` in their play events. Agents ignore fields they do not know, so these are
additive within v1.

Make-good (补播, issue 8): a segment of a column whose make-good policy is on carries
\`makeGoodUntil\`, the instant by which a replay must have *ended*: the segment's instant plus the
column's window (default 2 h), clipped to the start of the next quiet hours; absent for time-bound
columns (weather, warnings), segments in quiet hours and columns without the policy. An agent that
missed such a segment (it was down, offline without the audio, or cut by an announcement and never
resumed) plays it in the first gap from now that holds it whole with 2 s free on each side, before
the next item and by \`makeGoodUntil\`, at the lowest priority (anything due preempts it). It looks
on start, on every reconnect, on every plan and whenever a segment's slot is over; one make-good is
tried per segment and process run.`,
    schema: PlanMessageSchema,
    example: {
      v: 1,
      nodeId: node,
      version: '9c1e44a0b2d3f7e1',
      generatedAt: at,
      tz: 'Asia/Shanghai',
      dates: ['2026-11-27', '2026-11-28'],
      items: [
        {
          itemId: '2026-11-27/t080000',
          startAt: at,
          audioId: 'a-1b2c3d4e5f60',
          sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          sizeBytes: 1440000,
          durationMs: 120000,
          url: '/api/audio/files/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          title: '早间新闻',
          priority: 50,
        },
      ],
      sig: {
        alg: 'Ed25519-items-sha256',
        keyId: '3f9a1c2b7e0d4a55',
        seq: 1764201600000000,
        value: 'kq9T…',
      },
    },
  },
  {
    title: 'cmd',
    topic: 'chorus/v1/nodes/{nodeId}/cmd',
    direction: 'controller → agent',
    qos: '1',
    retain: 'no',
    prose: `One command with an \`id\` and an \`expiresAt\`. The agent answers every command with a
\`cmd.ack\` event echoing \`cmdId\`: \`ok\`, \`error\` (with \`error\`), or \`expired\` when it arrived
after \`expiresAt\` (nothing is done then). A redelivered command id is acknowledged again but not
run twice.`,
    schema: CommandMessageSchema,
    example: {
      v: 1,
      id: 'c-7d1f',
      kind: 'testTone',
      params: { seconds: 3 },
      issuedAt: at,
      expiresAt: '2026-11-27T08:05:00.000+08:00',
    },
  },
  {
    title: 'events',
    topic: 'chorus/v1/nodes/{nodeId}/events',
    direction: 'agent → controller',
    qos: '1',
    retain: 'no',
    prose: `A batch of events from the agent's durable outbox, oldest first: the agent sends up to
50 per message (the controller accepts up to 100, and at most 256 KiB of payload: a bigger message
is refused whole, logged, and changes nothing; the agent starts a new message before either limit).
Each event is
written to the outbox on disk before it is published, and leaves it only when the controller's
\`receipt\` names it (a broker's PUBACK proves nothing about storage), so events survive restarts of
the agent, the broker and the controller, and network outages. Every event has a unique \`id\`; the
message carries one \`sig\` by the node's own key over the whole of it (see "Signed events"); the
controller stores each (node, id) once, so replays change nothing. A message whose signature
fails is refused whole (nothing stored, nothing receipted: the agent keeps its events). Then each
event is checked on its own: one that is signed but does not match its schema is refused for good
and receipted as \`rejected\`; the valid ones beside it are stored, all in one transaction, and one
receipt names them all. Types: \`plan.applied\`, \`play.started\`,
\`play.finished\` (with evidence that sound went out: start and end instants, played duration, file
hash, volume, RMS and peak level), \`play.failed\` (with \`reason\`: \`checksum\`, \`download\`, \`decode\`,
\`late\`, \`sink\`, \`interrupted\`, \`missing\`), \`cmd.ack\`. Play events of an item are filed under
the local date in the item id (\`YYYY-MM-DD/…\`).

Added in issue 3 (a controller accepts them before its agents send them: upgrade the controller
first): \`play.interrupted\`, for an item that was sounding and was cut off (\`reason\`:
\`preempted\` by \`byItemId\`, \`stopped\` by a command, \`cancelled\` announcement, \`shutdown\`),
with the instants and \`playedMs\` of the part that went out; \`play.started\` and
\`play.finished\` of a segment resumed after an announcement carry \`offsetMs\` (where in the audio
it joined); \`play.failed\` with reason \`interrupted\` now means an item held up by an
announcement until its slot was over (it never sounded). \`readiness\`, sent after every prefetch
round when it differs from the last one: for each date of the plan named by \`planVersion\`,
whether every audio file it needs is cached with a verified hash, and the item ids that are not.
While files are missing the agent retries downloading with backoff (30 s up to 10 min).

Added in issue 8 (upgrade the controller first: an older one refuses a batch that holds a
\`play.missed\`): \`play.missed\`, sent once per segment (kept across restarts) when its slot is
over and it was not played: \`reason\` \`down\` (the agent was not running at the instant, or
crashed while it played), \`offline\` (no audio while disconnected), \`no-audio\` (no usable
audio while connected), \`interrupted\` (cut or held up by an announcement, never resumed),
\`late\` (could not start in time for another reason); \`makeGoodUntil\` when a make-good will
be tried. The play events of a make-good carry \`makeGood: true\`, the missed segment's
\`itemId\` and original \`scheduledAt\`, and \`makeGoodAt\`, the instant of the gap it was put in
(\`deviationMs\` is measured from that gap). Proof of play counts a make-good as 补播
(\`madeGood\`), never as played on time, and leaves it out of start-deviation figures.

Added in issue 10 (upgrade the controller first): \`plan.rejected\` (\`planVersion\` when it could
be read, \`reason\`: \`unsigned\`, \`unknown-key\`, \`bad-signature\`, \`replay\`, \`other-node\`,
\`no-key\`, \`invalid\`, \`too-large\` — more than \`MAX_PLAN_ITEMS\` (5,000) items or
\`MAX_PAYLOAD_BYTES\` —, \`source\`: \`received\`, or \`stored\` for a \`plan.json\` found altered
at start, which the node discards before announcing no plan version) and \`cmd.rejected\` (\`cmdId\`,
\`reason\`): the node keeps what it held and the controller shows the refusal in node health; each
distinct refusal is reported once. \`play.interrupted\` with reason \`crash\`: the agent process
died while the item sounded; reported at its next start from a durable "now playing" marker, with
\`playedMs\` up to the marker's last heartbeat (at most about half a second short).`,
    schema: EventsMessageSchema,
    example: {
      v: 1,
      events: [
        {
          id: '0b7e…',
          type: 'play.finished',
          at: '2026-11-27T00:02:00.050Z',
          itemId: '2026-11-27/t080000',
          audioId: 'a-1b2c3d4e5f60',
          scheduledAt: at,
          startedAt: '2026-11-27T00:00:00.041Z',
          endedAt: '2026-11-27T00:02:00.046Z',
          playedMs: 120005,
          sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          volume: 100,
          rmsDb: -19.2,
          peakDb: -1.6,
          sig: { alg: 'Ed25519', keyId: '8d0e6b1f2a3c4d5e', value: 'q3Jv…' },
        },
      ],
    },
  },
  {
    title: 'receipt',
    topic: 'chorus/v1/nodes/{nodeId}/receipt',
    direction: 'controller → agent',
    qos: '1',
    retain: 'no',
    prose: `Sent after the ingest transaction that stored a node's events has committed, signed by the
controller like plans and commands (no sequence floor: a replayed receipt is harmless). \`stored\`
lists the event ids now durably stored, whether this delivery stored them or an earlier one did
(duplicates are receipted too, so a resent copy leaves the outbox); \`rejected\` lists ids the node
signed that do not match the schema and never will, so they do not loop in the outbox. The agent
deletes exactly those files, and only after checking the signature and \`nodeId\`. Published events
not yet receipted are sent again after a wait (15 s, doubling to 5 min, reset by any receipt) and
at once after every reconnect; at most 500 are awaiting a receipt at a time. A lost receipt costs
one resend. Nodes may subscribe to their own receipt topic only.`,
    schema: ReceiptMessageSchema,
    example: {
      v: 1,
      nodeId: node,
      at,
      stored: ['0b7e…', '0b7f…'],
      rejected: [],
      sig: { alg: 'Ed25519', keyId: '3f9a1c2b7e0d4a55', seq: 1764201600000000, value: 'MEUCIQ…' },
    },
  },
  {
    title: 'telemetry',
    topic: 'chorus/v1/nodes/{nodeId}/telemetry',
    direction: 'agent → controller',
    qos: '0',
    retain: 'no',
    prose: `Periodic health: right after every connect, then every \`telemetryIntervalSec\` (60 s).
QoS 0: a lost sample is replaced by the next one. \`clockOffsetMs\` is the controller's clock
minus the node's system clock and \`clockUncertaintyMs\` its error bound (half the round trip of
the sample behind it), both from the clock exchange below; null before the first answer. The
agent schedules by the controller's time whatever its own clock says; the controller marks a node
\`degraded\` (reason \`clock\`) when either is beyond its thresholds. \`audioOutput\`
says whether the sink's device exists and opened (\`ok\`, \`missing\`, \`error\`, \`unknown\`) and
how the last play's decoder ended. \`lowDisk\` (added in issue 10): the node is short of disk (free
space below its reserve, or one of its writes failed for lack of space); \`unsavedEvents\` counts
events held in memory until they can be written (they are part of \`outboxDepth\`).`,
    schema: TelemetryMessageSchema,
    example: {
      v: 1,
      at,
      agentVersion: '0.1.0',
      uptimeSec: 86400,
      volume: 80,
      planVersion: '9c1e44a0b2d3f7e1',
      cacheBytes: 18000000,
      freeDiskBytes: 2100000000,
      clockOffsetMs: -2113,
      clockUncertaintyMs: 3,
      memRssBytes: 61000000,
      outboxDepth: 0,
      playing: false,
      lastError: null,
    },
  },
  {
    title: 'fleet/rebirth',
    topic: FLEET_TOPICS.rebirth,
    direction: 'controller → every agent',
    qos: '0',
    retain: 'no',
    prose: `Sent by the controller after each (re)connect to the broker. Every agent answers with its
birth on \`status\`, so presence and plan versions are known within seconds of a controller restart
without any retained state (Sparkplug B's rebirth request). Nodes still marked online that have
neither answered nor reconnected within the start-up wait (the agents' reconnect backoff cap, 60 s,
plus 10 s plus 1 s per 500 nodes; at least \`rebirthGraceSec\`) are marked offline.`,
    schema: RebirthMessageSchema,
    example: { v: 1, requestId: 'f2c1…', at },
  },
]

function render(): string {
  const out: string[] = []
  out.push(`# Chorus MQTT protocol, v1

<!-- Generated by scripts/gen-protocol-doc.ts from protocol/messages.ts: edit those, then run
     npm run docs:protocol. test/docs.test.ts fails when this file is out of date. -->

MQTT 3.1.1. Every topic lives under \`chorus/v1/\`. Per-node topics are
\`chorus/v1/nodes/{nodeId}/{channel}\`; node ids match \`^[a-z0-9][a-z0-9-]{0,62}$\`. Payloads are UTF-8
JSON objects with \`v: 1\`; unknown extra fields are ignored, so fields can be added within v1; a
breaking change moves to \`chorus/v2\`. Instants are ISO 8601 strings with an explicit offset.
Both sides validate every message they receive against the schemas below (protocol/validate.ts);
a message that fails is counted, logged at \`warn\` and dropped, and never crashes either side.
Payloads are limited to 2 MiB.

## Identity and permissions

Each node connects with client id = username = its node id and password = its secret (256 random
bits, shown once at registration; the controller stores only its SHA-256). A second connection
with the same id takes over the first. The broker's ACL (broker/acl.ts):

| who | may publish | may subscribe |
|---|---|---|
| node \`{id}\` | \`chorus/v1/nodes/{id}/status\`, \`…/events\`, \`…/telemetry\`, never retained | \`chorus/v1/nodes/{id}/plan\`, \`…/cmd\`, \`…/receipt\`, \`${FLEET_TOPICS.rebirth}\` |
| controller (service identity) | anything under \`chorus/v1/\` | anything, including \`#\` |

A refused publish disconnects the client; a refused subscription gets SUBACK \`0x80\`.

## Signed plans and commands

Every \`plan\` and \`cmd\` carries \`sig\`: an Ed25519 signature by the controller's own key
(\`<dataDir>/keys/\`, public key at \`GET /api/keys/controller\` and in provisioning bundles) over
the canonical JSON of the whole message (keys sorted, no whitespace) with \`sig\` reduced to
\`{ alg, keyId, seq }\`. A plan is signed with \`alg: "Ed25519-items-sha256"\` (since issue 9):
the same, but with \`items\` replaced by the SHA-256 (lowercase hex) of the items' canonical JSON,
so each node's signature covers a few hundred bytes (its \`nodeId\`, \`seq\`, version, dates and
the items' digest) whatever the plan's size, and changing any item still breaks it. Commands and
receipts keep \`alg: "Ed25519"\` over the whole message. The controller signs a node's plans
that way only when the node's birth lists \`"Ed25519-items-sha256"\` in \`planSig\` (today's
agents do); a node whose birth does not (an agent of an earlier version, whose schema knows only
\`"Ed25519"\`) gets whole-plan \`"Ed25519"\` plans, so the controller is upgraded first, as for
every other change, and no agent ever holds a plan it cannot verify.
\`seq\` grows with every signed message. An agent that holds the key
refuses a message that is unsigned, signed by another key, altered, not newer than the last one it
accepted on that channel, or (for a command) addressed to another \`nodeId\` or past \`expiresAt\`.
So a compromised broker or a client that slipped past the ACL still cannot make a speaker say
anything. (China's emergency-broadcast platforms sign their instructions the same way, GD/J 081.)
Receipts are signed the same way.

## Signed events

Every \`events\` message carries \`sig\`: \`{ alg: "Ed25519", keyId, value }\`, a signature by the
node's own key over the canonical JSON of the whole message (\`v\` and every event) with \`sig\`
reduced to \`{ alg, keyId }\` (no sequence number: an event id is stored once, so a replay is a
harmless duplicate). One signature per message, not per event: an Ed25519 check costs the
controller about 110 µs of CPU, which per event alone caps one core below 10,000 events/s
(docs/benchmarks.md, "2026-12-07 (session 6) · event batches"); per message of 50 it is ~2 µs an
event. The older form, still accepted (agents before session 6 of issue 9): no message \`sig\`,
each event carrying its own \`sig\` over the event's canonical JSON; each is then checked on its
own and an unsigned one is refused alone. Both forms stay within protocol \`v: 1\` (the message
\`sig\` is an added optional field): upgrade the controller first, since an older controller finds
no signature on the events of a message signed as a whole, refuses them and sends no receipt (the
agent keeps them in its outbox and sends them again once the controller is upgraded; none is lost). The agent makes the key
pair itself: at enrollment (\`--enroll\`) it sends the public key with the token
(\`POST /api/enroll { nodeId, token, publicKey }\`) and keeps the private key in
\`credentials.json\` (mode 0600). A node configured by hand generates \`<dataDir>/node-key.pem\`
(0600) on its first start and announces the public key in every birth (\`nodeKey\`); the controller
pins it on first use when the node has no key yet (logged at \`warn\`) and ignores any other key
announced later. Replacing a node forgets its key (the new hardware enrolls with its own). The
controller refuses, on any broker, an event whose signature (its message's, or its own) is
missing, by another key, or does not verify: a report forged through a broker without access
control is never stored.

## Why no retained messages

With aedes' in-memory store every retained message is checked against every new subscription, so
per-node retained messages make a reconnect storm cost nodes × retained messages (191 s for 10,000
nodes, PRODUCT.md). Presence comes from births, wills and broker events; plans travel by the
version handshake; after its own restart the controller asks the fleet to announce itself.

## Clock exchange

Every speaker starts a segment at the same instant because every agent schedules by one clock: its
estimate of the controller's. It is NTP's exchange over HTTP, not MQTT (a broker's queueing would
add its own delay to the round trip): the agent reads its monotonic clock (\`t0\`), sends
\`GET /api/time\` (no authentication; answers \`{ "now": <epoch ms>, "iso": "…" }\`), reads it again
(\`t1\`) and takes \`offset = now − (t0 + t1) / 2\`, whose error is at most half the round trip
\`(t1 − t0) / 2\`. Of the last 8 samples the one with the smallest round trip is the estimate. It
samples 5 times in a row at start and after every connect, then once with every telemetry report
(60 s); a failed request keeps the last estimate.

Fleet time on the node is \`monotonic clock + offset\`: timers run on the monotonic clock, so a step
of the node's system clock (NTP, an operator) neither skips nor replays a segment; a new estimate
that moves fleet time re-arms every timer (an instant that is now past is started at once or
reported \`late\`). Until the first answer the agent plays by its system clock and follows its
steps the same way. Each player prepares a segment about 1.5 s before its instant (decoder
started, output open, first PCM buffer held) and at the instant only releases the first sample;
\`deviationMs\` in \`play.started\` is when that sample reached the output minus the instant, in
fleet time. Sign everywhere: offset = controller − node.

## Live audio

Live voice (喊话) and live relay (转播) of issue 13 (\`controller/live/\`, \`speaker-agent/live.ts\`).

- **One encoding per session.** The controller's hub runs one ffmpeg per session: PCM written by
  the caller (s16le, 48 kHz, mono) or a URL it reads itself (\`-re\`) becomes **Opus in Ogg**
  (libopus; voice 32 kbit/s \`voip\`, relay 64 kbit/s \`audio\`; 20 ms frames, one page per
  20 ms, flushed at once). The same pages go to every node and to the recording on disk
  (\`<dataDir>/live/<id>.ogg\`, the stream exactly as sent).
- **Transport: HTTP, chunked.** A node fetches \`GET /api/live/:id/stream\` with its node
  credentials (HTTP Basic, like audio files; only nodes the session targets). The answer is the
  stream's header pages, then whole Ogg pages as they are encoded. Each page's granule position
  (48 kHz samples) is its media time; the header \`x-chorus-media-ms\` says at which media time
  this answer's first audio page starts. A node that fetches before \`playAt\` gets everything
  from media time 0; one that joins later (it came online, or an emergency cut it) gets the pages
  from 400 ms ahead of what sounds now (the hub keeps the last 3 s). MQTT carries no audio.
- **Commands.** Signed commands on the node's \`cmd\` topic (kinds \`live.start\`, \`live.stop\`,
  not in the commands API, not acknowledged): \`live.start\` carries \`liveStart\` = {sessionId,
  kind, url, codec \`opus/ogg\`, playAt, priority, zones, maxMs}; \`live.stop\` carries
  \`liveStop\` = {sessionId, reason}. \`playAt\` is 1 s after the session opens; a node that comes
  online during a session is sent \`live.start\` again.
- **Play-out.** The agent joins the stream at once and pipes it into its sink's decoder (ffmpeg,
  no probing); what arrives before \`playAt\` waits in the decoder's pipe (the jitter buffer, about
  the 1 s lead). The first sample of media time *m* is released at \`playAt + m\` on the fleet
  clock, on every node, then fed at real-time pace; the codec chain keeps the stream's first
  sample (neither ffmpeg drops the packet it probes). A node whose sink ran dry drops, when the
  feed resumes, what should have sounded meanwhile (for at most 250 ms of trying), so it is back
  in step rather than late for the rest of the session. The node plays
  the item \`live:<sessionId>\` and reports \`play.started\` / \`play.finished\` /
  \`play.interrupted\` for it through the outbox like any segment (\`audioId\` the same id,
  \`sha256\` the SHA-256 of the item id, there being no file).
- **Proof of play.** Those plays count in the day report like a segment's (per node and in the
  totals, with start deviation and level; kind \`live\`): no running order names them, so their
  title comes from the session's record — \`喊话 · <user> · HH:MM\` or \`转播 · <host of the URL>\`
  — with a \`live\` field {kind, sessionId, by, openedAt, host} the web UI words in its language
  (GET /api/plays, GET /api/nodes/:id/plays, GET /api/reports/day and its deviations). A node
  that joined after \`playAt\` starts at an offset and, like a resumed segment, is left out of the
  deviation figures. Each session's recording plays from \`GET /api/live/:id/recording\` (users
  limited to zones: only sessions wholly inside them) and in the Talk page's history.
- **Priority**: emergency announcement (95) > live voice (90) > urgent announcement (80) > live
  relay (70) > scheduled segments (≤ 60). A segment cut or held by a live session resumes in
  progress afterwards, as after an announcement; a live item cut by an emergency joins the stream
  again where the session is.
- **Ending.** The session ends when its owner ends it, its source gives nothing for 3 s
  (\`stalled\`), its limit passes (\`limit\`), its encoder fails (\`error\`) or the controller stops
  (\`closed\`): the hub closes every stream (the nodes play out what they hold) and sends
  \`live.stop\`; a node still sounding 2.5 s after \`live.stop\` cuts it. A node whose stream gives
  no byte for 5 s, or that reaches \`playAt + maxMs\`, stops on its own.
- **Measured** (scripts/bench/live.ts, docs/benchmarks.md "Live voice"): write → sink 0.88 s;
  spread between nodes under 1 ms with 3 nodes on one machine.
## Relay items (转播) and live sources

A running order's relay item (\`relay: {url, end}\`, no audio) never enters a \`plan\`: plans
carry only audio files, and resolution skips items without one. The controller plays it: at the
item's start on its own clock it opens a live relay session of the URL for the nodes the item
reaches, as a segment of that order would (schedules' \`resolveRelays\`): the item's zones; for an
item of a zone's own running order only that zone's nodes not below a zone with its own order
(the session is recorded under that zone, \`by\` = \`schedule:<date>/<item>@<zone>\`); on a drill
day the drill order's relays only test nodes and the template's the others. The session's limit
ends it at the item's end (controller/live/relay-schedule.ts; a source that
drops is opened again every 10 s until then). The nodes hear it as any live session: a signed
\`live.start\` on \`cmd\` names the session, the controller's stream URL and \`playAt\`, and
\`live.stop\` ends it (see \`cmd\` below). A relay of \`POST /api/live/relay\` and the Talk
page's voice (\`GET /api/live/talk\`, a WebSocket of PCM from the browser, contract/live-talk.ts)
travel the same way; no MQTT message carries audio.

## Topics
`)
  out.push('| topic | direction | QoS | retain |')
  out.push('|---|---|---|---|')
  for (const s of sections) out.push(`| \`${s.topic}\` | ${s.direction} | ${s.qos} | ${s.retain} |`)
  for (const s of sections) {
    out.push('', `### ${s.title}`, '', `- Topic: \`${s.topic}\``, `- Direction: ${s.direction}`)
    out.push(`- QoS: ${s.qos}`, `- Retain: ${s.retain}`, '', s.prose, '', 'Example:', '')
    out.push('```json', JSON.stringify(s.example, null, 2), '```', '')
    out.push('<details><summary>JSON Schema</summary>', '', '```json')
    out.push(JSON.stringify(s.schema, null, 2), '```', '', '</details>')
  }
  return `${out.join('\n')}\n`
}

/** The document as it should be. */
export const protocolDoc = render

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = new URL('../docs/protocol.md', import.meta.url)
  writeFileSync(target, render())
  console.log(`wrote ${fileURLToPath(target)}`)
}
