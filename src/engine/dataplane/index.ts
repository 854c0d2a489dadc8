export {DataPlane} from './dataplane.js'
export {compileSslPolicy, type CompiledSslPolicy} from './tls/policy.js'
export type {DataPlaneLog, DataPlaneOptions, DrainingView, HealthSink, HealthSource, ListenerStatus} from './types.js'
export type {ExchangeObserver, ExchangeOrigin, ExchangeRecord, ObservedLoadBalancer, ObserverFactory} from './observer.js'
