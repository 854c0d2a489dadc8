import {rpcv2Cbor} from './cbor.js'
import {awsJson1_0, awsJson1_1} from './json.js'
import type {ProtocolId, WireProtocol} from './protocol.js'
import {awsQuery, ec2Query} from './query.js'

/** Every wire protocol the engine speaks, by id; a new one is one more entry (and its module). */
export const WIRE_PROTOCOLS: {readonly [K in ProtocolId]: WireProtocol} = {awsQuery, ec2Query, awsJson1_0, awsJson1_1, rpcv2Cbor}

/** The order requests are tried in: the specific markers first, Query (which claims anything) last. */
export const DETECTION_ORDER: readonly WireProtocol[] = [rpcv2Cbor, awsJson1_0, awsJson1_1, awsQuery]
