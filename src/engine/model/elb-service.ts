import type {
  AddTagsInput,
  AddTagsOutput,
  ConfigureHealthCheckInput,
  ConfigureHealthCheckOutput,
  CreateAccessPointInput,
  CreateAccessPointOutput,
  CreateLoadBalancerListenerInput,
  CreateLoadBalancerListenerOutput,
  DeleteAccessPointInput,
  DeleteAccessPointOutput,
  DeleteLoadBalancerListenerInput,
  DeleteLoadBalancerListenerOutput,
  DeregisterEndPointsInput,
  DeregisterEndPointsOutput,
  DescribeAccessPointsInput,
  DescribeAccessPointsOutput,
  DescribeAccountLimitsInput,
  DescribeAccountLimitsOutput,
  DescribeEndPointStateInput,
  DescribeEndPointStateOutput,
  DescribeLoadBalancerAttributesInput,
  DescribeLoadBalancerAttributesOutput,
  DescribeTagsInput,
  DescribeTagsOutput,
  ModifyLoadBalancerAttributesInput,
  ModifyLoadBalancerAttributesOutput,
  RegisterEndPointsInput,
  RegisterEndPointsOutput,
  RemoveTagsInput,
  RemoveTagsOutput,
  SetLoadBalancerListenerSSLCertificateInput,
  SetLoadBalancerListenerSSLCertificateOutput,
} from '@aws-sdk/client-elastic-load-balancing'
import {
  DuplicateLoadBalancerName,
  InvalidConfigurationRequest,
  InvalidInstance,
  InvalidScheme,
  LoadBalancerNotFound,
  TooManyLoadBalancers,
  TooManyTags,
  ValidationError,
} from './errors.js'
import {baseOf} from './store.js'
import type {LoadBalancerRecord, RequestContext} from './types.js'
import {attributesOutput, defaultAttributes, modifiedAttributesOutput, modifyAttributes} from './elb/attributes.js'
import {loadBalancerDescription} from './elb/describe.js'
import {defaultHealthCheck, healthCheckOutput, validateHealthCheck} from './elb/health-check.js'
import {describeInstanceStates} from './elb/instance-health.js'
import {findLoadBalancer} from './elb/lb-index.js'
import {isSecure, listenerOn, planNewListeners, requireCertificate} from './elb/listeners.js'
import {messages} from './elb/messages.js'
import {allocateLocalAddress, dnsNameFor, validateLoadBalancerName} from './elb/naming.js'
import {paginate} from './elb/paging.js'
import {MAX_TAGS, mergeTags, normalizeTags, removeTagKeys, tagsOutput} from './elb/tags.js'
import {required, unique} from './elb/validation.js'
import {ElbNetworkOperations} from './elb/network-operations.js'
import {instanceVpcOf, sourceSecurityGroupOf} from './elb/vpc-placement.js'
import {attachDefaultSecurityPolicy, findDraft, instanceIds, LIMITS, sameConfiguration, type LoadBalancerDraft} from './elb/service-base.js'

export {LIMITS, type ElbServiceDeps} from './elb/service-base.js'

/**
 * The Classic ELB control plane (API 2012-06-01): one synchronous method per operation, AWS's
 * validation rules, state in the Store. Every write validates first or throws inside the Store's
 * mutation, so a failed request leaves nothing half-made.
 */
export class ElbService extends ElbNetworkOperations {
  // ---- Load balancer lifecycle ----------------------------------------------------------------

  createLoadBalancer(ctx: RequestContext, input: CreateAccessPointInput): CreateAccessPointOutput {
    const name = required(input.LoadBalancerName, 'loadBalancerName')
    validateLoadBalancerName(name)
    const listenerInputs = required(input.Listeners, 'listeners')
    if (listenerInputs.length === 0) throw new ValidationError(messages.listenersEmpty)
    const scheme = input.Scheme ?? 'internet-facing'
    if (scheme !== 'internet-facing' && scheme !== 'internal') throw new InvalidScheme(messages.invalidScheme(scheme))
    this.validatePlaceRequest(ctx, input)
    const tags = normalizeTags(input.Tags ?? [])
    if (tags.length > MAX_TAGS) throw new TooManyTags(messages.tooManyTags)

    return this.store.updateRegion(ctx.region, (region, state) => {
      const listeners = planNewListeners(name, [], listenerInputs, this.deps.certificates, ctx.region)
      const existing = findLoadBalancer(baseOf(region.loadBalancers), name)
      if (existing !== undefined) {
        // CreateLoadBalancer is idempotent: the same request again answers with the same DNS name.
        if (sameConfiguration(existing, listeners, input, scheme)) return {DNSName: existing.dnsName}
        throw new DuplicateLoadBalancerName(messages.duplicateLoadBalancerName(name))
      }
      if (region.loadBalancers.length >= LIMITS.loadBalancersPerRegion) {
        throw new TooManyLoadBalancers(messages.tooManyLoadBalancers(LIMITS.loadBalancersPerRegion))
      }
      const first = listeners[0]
      if (first === undefined) throw new ValidationError(messages.listenersEmpty)
      const place = this.placeNewLoadBalancer(input, scheme, listeners.map((l) => l.loadBalancerPort), region, state)
      const lb: LoadBalancerDraft = {
        name,
        dnsName: dnsNameFor(state.accountId, ctx.region, name, scheme),
        createdTime: this.now().toISOString(),
        scheme,
        localAddress: allocateLocalAddress(baseOf(state), this.deps.loadBalancerNetwork),
        availabilityZones: [...place.availabilityZones],
        subnets: [...place.subnets],
        securityGroups: [...place.securityGroups],
        ...(place.vpcId === undefined ? {} : {vpcId: place.vpcId}),
        listeners: listeners.map((l) => ({...l, policyNames: [...l.policyNames]})),
        backendServers: [],
        policies: [],
        healthCheck: defaultHealthCheck(first.instancePort),
        instances: [],
        attributes: structuredClone(defaultAttributes()) as LoadBalancerDraft['attributes'],
        tags,
      }
      attachDefaultSecurityPolicy(lb)
      region.loadBalancers.push(lb)
      return {DNSName: lb.dnsName}
    })
  }

  deleteLoadBalancer(ctx: RequestContext, input: DeleteAccessPointInput): DeleteAccessPointOutput {
    const name = required(input.LoadBalancerName, 'loadBalancerName')
    // Succeeds even when there is no such load balancer (no error is modelled).
    if (findLoadBalancer(this.regionState(ctx).loadBalancers, name) === undefined) return {}
    this.store.updateRegion(ctx.region, (region) => {
      region.loadBalancers = baseOf(region.loadBalancers).filter((lb) => lb.name !== name)
    })
    return {}
  }

  describeLoadBalancers(ctx: RequestContext, input: DescribeAccessPointsInput): DescribeAccessPointsOutput {
    const all = this.regionState(ctx).loadBalancers
    let selected: readonly LoadBalancerRecord[] = all
    if (input.LoadBalancerNames !== undefined && input.LoadBalancerNames.length > 0) {
      selected = unique(input.LoadBalancerNames).map((name) => {
        const lb = findLoadBalancer(all, name)
        if (lb === undefined) throw new LoadBalancerNotFound(messages.cannotFindLoadBalancer(name))
        return lb
      })
    }
    const page = paginate(selected, (lb) => lb.name, input.Marker, input.PageSize)
    const {network} = this.regionState(ctx)
    return {
      LoadBalancerDescriptions: page.items.map((lb) =>
        loadBalancerDescription(lb, ctx.region, sourceSecurityGroupOf(lb, this.store.state.accountId, network))),
      ...(page.nextMarker === undefined ? {} : {NextMarker: page.nextMarker}),
    }
  }

  // ---- Listeners and certificates -------------------------------------------------------------

  createLoadBalancerListeners(ctx: RequestContext, input: CreateLoadBalancerListenerInput): CreateLoadBalancerListenerOutput {
    const listenerInputs = required(input.Listeners, 'listeners')
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      const added = planNewListeners(lb.name, lb.listeners, listenerInputs, this.deps.certificates, ctx.region)
      for (const listener of added) lb.listeners.push({...listener, policyNames: []})
      attachDefaultSecurityPolicy(lb)
    })
    return {}
  }

  deleteLoadBalancerListeners(ctx: RequestContext, input: DeleteLoadBalancerListenerInput): DeleteLoadBalancerListenerOutput {
    const ports = required(input.LoadBalancerPorts, 'loadBalancerPorts')
    // Ports without a listener are ignored; the policies stay on the load balancer.
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      lb.listeners = lb.listeners.filter((l) => !ports.includes(l.loadBalancerPort))
    })
    return {}
  }

  setLoadBalancerListenerSSLCertificate(
    ctx: RequestContext,
    input: SetLoadBalancerListenerSSLCertificateInput,
  ): SetLoadBalancerListenerSSLCertificateOutput {
    const port = required(input.LoadBalancerPort, 'loadBalancerPort')
    const certificate = required(input.SSLCertificateId, 'sSLCertificateId')
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      const listener = listenerOn(lb, port)
      if (!isSecure(listener.protocol)) throw new InvalidConfigurationRequest(messages.listenerNotSecure(port))
      requireCertificate(certificate, this.deps.certificates, ctx.region)
      listener.sslCertificateId = certificate
    })
    return {}
  }

  // ---- Instances and health -------------------------------------------------------------------

  registerInstancesWithLoadBalancer(ctx: RequestContext, input: RegisterEndPointsInput): RegisterEndPointsOutput {
    const ids = instanceIds(required(input.Instances, 'instances'))
    const lb = this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb, region) => {
      for (const id of ids) {
        const instance = baseOf(region.instances).find((i) => i.instanceId === id)
        if (instance === undefined) throw new InvalidInstance(messages.couldNotFindInstanceToRegister(id))
        if (instance.state !== 'running' && instance.state !== 'pending') {
          throw new InvalidInstance(messages.instanceNotRunning(id))
        }
        // An instance must be in the load balancer's network: the same VPC, or both in EC2-Classic.
        if (instanceVpcOf(instance, this.store.state, baseOf(region).network) !== lb.vpcId) {
          throw new InvalidInstance(messages.instanceOutsideVpc(id))
        }
        // Already registered instances are left as they are (and keep the IP they were registered with).
        if (baseOf(lb.instances).some((i) => i.instanceId === id)) continue
        lb.instances.push({
          instanceId: id,
          privateIp: instance.privateIp,
          availabilityZone: instance.availabilityZone,
          registeredAt: this.now().toISOString(),
        })
      }
      if (lb.instances.length > LIMITS.instancesPerLoadBalancer) {
        throw new InvalidConfigurationRequest(messages.tooManyInstances(LIMITS.instancesPerLoadBalancer))
      }
    })
    return {Instances: lb.instances.map((i) => ({InstanceId: i.instanceId}))}
  }

  deregisterInstancesFromLoadBalancer(ctx: RequestContext, input: DeregisterEndPointsInput): DeregisterEndPointsOutput {
    const ids = instanceIds(required(input.Instances, 'instances'))
    const lb = this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      const registered = new Set(baseOf(lb.instances).map((i) => i.instanceId))
      for (const id of ids) {
        if (!registered.has(id)) throw new InvalidInstance(messages.couldNotFindInstance(id))
      }
      const leaving = new Set(ids)
      lb.instances = baseOf(lb.instances).filter((i) => !leaving.has(i.instanceId))
    })
    return {Instances: lb.instances.map((i) => ({InstanceId: i.instanceId}))}
  }

  describeInstanceHealth(ctx: RequestContext, input: DescribeEndPointStateInput): DescribeEndPointStateOutput {
    const lb = this.loadBalancer(ctx, input.LoadBalancerName)
    const requested = input.Instances !== undefined && input.Instances.length > 0 ? input.Instances : undefined
    const context = {region: ctx.region, lb, registry: this.regionState(ctx).instances, health: this.deps.health}
    return {InstanceStates: describeInstanceStates(context, requested)}
  }

  configureHealthCheck(ctx: RequestContext, input: ConfigureHealthCheckInput): ConfigureHealthCheckOutput {
    const healthCheck = validateHealthCheck(required(input.HealthCheck, 'healthCheck'))
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      lb.healthCheck = {...healthCheck}
    })
    return {HealthCheck: healthCheckOutput(healthCheck)}
  }

  // ---- Attributes -----------------------------------------------------------------------------

  describeLoadBalancerAttributes(
    ctx: RequestContext,
    input: DescribeLoadBalancerAttributesInput,
  ): DescribeLoadBalancerAttributesOutput {
    const lb = this.loadBalancer(ctx, input.LoadBalancerName)
    return {LoadBalancerAttributes: attributesOutput(lb.attributes)}
  }

  modifyLoadBalancerAttributes(ctx: RequestContext, input: ModifyLoadBalancerAttributesInput): ModifyLoadBalancerAttributesOutput {
    const attributes = required(input.LoadBalancerAttributes, 'loadBalancerAttributes')
    const lb = this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      lb.attributes = modifyAttributes(baseOf(lb).attributes, attributes) as LoadBalancerDraft['attributes']
    })
    return {LoadBalancerName: lb.name, LoadBalancerAttributes: modifiedAttributesOutput(lb.attributes, attributes)}
  }

  // ---- Tags -----------------------------------------------------------------------------------

  addTags(ctx: RequestContext, input: AddTagsInput): AddTagsOutput {
    const names = this.taggedNames(input.LoadBalancerNames)
    const tags = normalizeTags(required(input.Tags, 'tags'))
    this.store.updateRegion(ctx.region, (region) => {
      for (const name of names) {
        const lb = findDraft(region, name)
        lb.tags = mergeTags(lb.tags, tags)
      }
    })
    return {}
  }

  removeTags(ctx: RequestContext, input: RemoveTagsInput): RemoveTagsOutput {
    const names = this.taggedNames(input.LoadBalancerNames)
    const keys = required(input.Tags, 'tags')
    this.store.updateRegion(ctx.region, (region) => {
      for (const name of names) {
        const lb = findDraft(region, name)
        lb.tags = removeTagKeys(lb.tags, keys)
      }
    })
    return {}
  }

  describeTags(ctx: RequestContext, input: DescribeTagsInput): DescribeTagsOutput {
    const names = this.taggedNames(input.LoadBalancerNames)
    return {
      TagDescriptions: names.map((name) => {
        const lb = this.loadBalancer(ctx, name)
        return {LoadBalancerName: lb.name, Tags: tagsOutput(lb.tags)}
      }),
    }
  }

  // ---- Account --------------------------------------------------------------------------------

  describeAccountLimits(_ctx: RequestContext, input: DescribeAccountLimitsInput): DescribeAccountLimitsOutput {
    const limits = [
      {Name: 'classic-load-balancers', Max: String(LIMITS.loadBalancersPerRegion)},
      {Name: 'classic-listeners', Max: String(LIMITS.listenersPerLoadBalancer)},
      {Name: 'classic-registered-instances', Max: String(LIMITS.instancesPerLoadBalancer)},
    ]
    const page = paginate(limits, (limit) => limit.Name, input.Marker, input.PageSize)
    return {Limits: page.items, ...(page.nextMarker === undefined ? {} : {NextMarker: page.nextMarker})}
  }
}
