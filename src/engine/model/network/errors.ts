import {errorClass} from '../errors.js'

/**
 * EC2's networking error codes (Client faults, HTTP 400), with AWS's message texts as its API
 * reference's error list and public captures (botocore issues, moto's copies of observed answers)
 * show them. The model throws them; the EC2 Query edge writes them in EC2's envelope.
 */

export const InvalidParameterValue = errorClass('InvalidParameterValue')
export const InvalidVpcIdNotFound = errorClass('InvalidVpcID.NotFound')
export const InvalidVpcIdMalformed = errorClass('InvalidVpcID.Malformed')
export const InvalidVpcRange = errorClass('InvalidVpc.Range')
export const InvalidSubnetIdNotFound = errorClass('InvalidSubnetID.NotFound')
export const InvalidSubnetIdMalformed = errorClass('InvalidSubnetID.Malformed')
export const InvalidSubnetConflict = errorClass('InvalidSubnet.Conflict')
export const InvalidSubnetRange = errorClass('InvalidSubnet.Range')
export const InvalidInternetGatewayIdNotFound = errorClass('InvalidInternetGatewayID.NotFound')
export const InvalidInternetGatewayIdMalformed = errorClass('InvalidInternetGatewayId.Malformed')
export const InvalidRouteTableIdNotFound = errorClass('InvalidRouteTableID.NotFound')
export const InvalidRouteTableIdMalformed = errorClass('InvalidRouteTableId.Malformed')
export const InvalidGatewayIdNotFound = errorClass('InvalidGatewayID.NotFound')
export const InvalidAssociationIdNotFound = errorClass('InvalidAssociationID.NotFound')
export const InvalidRouteNotFound = errorClass('InvalidRoute.NotFound')
export const InvalidNetworkAclIdNotFound = errorClass('InvalidNetworkAclID.NotFound')
export const InvalidDhcpOptionIdNotFound = errorClass('InvalidDhcpOptionID.NotFound')
export const InvalidId = errorClass('InvalidID')
export const RouteAlreadyExists = errorClass('RouteAlreadyExists')
export const ResourceAlreadyAssociated = errorClass('Resource.AlreadyAssociated')
export const GatewayNotAttached = errorClass('Gateway.NotAttached')
export const DependencyViolation = errorClass('DependencyViolation')
export const VpcLimitExceeded = errorClass('VpcLimitExceeded')
export const SubnetLimitExceeded = errorClass('SubnetLimitExceeded')
export const InternetGatewayLimitExceeded = errorClass('InternetGatewayLimitExceeded')
export const RouteTableLimitExceeded = errorClass('RouteTableLimitExceeded')
export const RouteLimitExceeded = errorClass('RouteLimitExceeded')
export const TagLimitExceeded = errorClass('TagLimitExceeded')
