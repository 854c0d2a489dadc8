/**
 * Every error the engine answers with is a ServiceError carrying its wire identity: the AWS error
 * code, HTTP status and fault type. The API edge renders them all alike; anything else that escapes
 * a handler becomes a 500 InternalFailure.
 *
 * Statuses come from the service models (shared/reference/elb-iam-error-codes.json).
 */

export type FaultType = 'Sender' | 'Receiver'

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly type: FaultType = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message)
    this.name = code
  }
}

/** A ServiceError subclass for one wire code (EC2's codes use it too: src/engine/ec2/errors.ts). */
export function errorClass(code: string, status = 400) {
  return class extends ServiceError {
    static readonly code = code
    constructor(message: string) {
      super(code, message, status)
    }
  }
}

// Common Query errors
export const ValidationError = errorClass('ValidationError')
export const InvalidAction = errorClass('InvalidAction')
export const MissingAction = errorClass('MissingAction')
export const MissingParameter = errorClass('MissingParameter')
export const InvalidParameterValue = errorClass('InvalidParameterValue')
export const InvalidParameterCombination = errorClass('InvalidParameterCombination')
export const MalformedQueryString = errorClass('MalformedQueryString', 404)
export const InternalFailure = errorClass('InternalFailure', 500)
export const ServiceUnavailable = errorClass('ServiceUnavailable', 503)
export const RequestEntityTooLarge = errorClass('RequestEntityTooLarge', 413)

// Authentication and request screening (the API edge); statuses as AWS answers them
export const MissingAuthenticationToken = errorClass('MissingAuthenticationToken', 403)
export const InvalidClientTokenId = errorClass('InvalidClientTokenId', 403)
export const SignatureDoesNotMatch = errorClass('SignatureDoesNotMatch', 403)
export const IncompleteSignature = errorClass('IncompleteSignature')
export const RequestExpired = errorClass('RequestExpired')
export const AccessDenied = errorClass('AccessDenied', 403)

// Classic ELB 2012-06-01
export const LoadBalancerNotFound = errorClass('LoadBalancerNotFound')
export const CertificateNotFound = errorClass('CertificateNotFound')
export const DependencyThrottle = errorClass('DependencyThrottle')
export const DuplicateLoadBalancerName = errorClass('DuplicateLoadBalancerName')
export const DuplicateListener = errorClass('DuplicateListener')
export const DuplicatePolicyName = errorClass('DuplicatePolicyName')
export const DuplicateTagKeys = errorClass('DuplicateTagKeys')
export const InvalidConfigurationRequest = errorClass('InvalidConfigurationRequest', 409)
export const InvalidInstance = errorClass('InvalidInstance')
export const InvalidScheme = errorClass('InvalidScheme')
export const InvalidSecurityGroup = errorClass('InvalidSecurityGroup')
export const InvalidSubnet = errorClass('InvalidSubnet')
export const ListenerNotFound = errorClass('ListenerNotFound')
export const LoadBalancerAttributeNotFound = errorClass('LoadBalancerAttributeNotFound')
export const OperationNotPermitted = errorClass('OperationNotPermitted')
export const PolicyNotFound = errorClass('PolicyNotFound')
export const PolicyTypeNotFound = errorClass('PolicyTypeNotFound')
export const SubnetNotFound = errorClass('SubnetNotFound')
export const TooManyLoadBalancers = errorClass('TooManyLoadBalancers')
export const TooManyPolicies = errorClass('TooManyPolicies')
export const TooManyTags = errorClass('TooManyTags')
export const UnsupportedProtocol = errorClass('UnsupportedProtocol')

// IAM 2010-05-08 (server certificates)
export const ConcurrentModification = errorClass('ConcurrentModification', 409)
export const DeleteConflict = errorClass('DeleteConflict', 409)
export const EntityAlreadyExists = errorClass('EntityAlreadyExists', 409)
export const InvalidInput = errorClass('InvalidInput')
export const KeyPairMismatch = errorClass('KeyPairMismatch')
export const LimitExceeded = errorClass('LimitExceeded', 409)
export const MalformedCertificate = errorClass('MalformedCertificate')
export const NoSuchEntity = errorClass('NoSuchEntity', 404)
export const ServiceFailure = errorClass('ServiceFailure', 500)
