import {errorClass as ec2Error} from '../model/errors.js'

/**
 * EC2's error codes (all `Client` faults, HTTP 400 unless noted), with AWS's message texts where
 * they are known (botocore/aws-cli examples, moto's copies of observed answers).
 */

export const InvalidParameterValue = ec2Error('InvalidParameterValue')
export const InvalidParameterCombination = ec2Error('InvalidParameterCombination')
export const MissingParameter = ec2Error('MissingParameter')
export const InvalidAction = ec2Error('InvalidAction')
export const InvalidAmiIdMalformed = ec2Error('InvalidAMIID.Malformed')
export const InvalidNetworkInterfaceIdNotFound = ec2Error('InvalidNetworkInterfaceID.NotFound')
export const InvalidNetworkInterfaceIdMalformed = ec2Error('InvalidNetworkInterfaceID.Malformed')
export const InstanceLimitExceeded = ec2Error('InstanceLimitExceeded')
export const FilterLimitExceeded = ec2Error('FilterLimitExceeded')
export const TagLimitExceeded = ec2Error('TagLimitExceeded')
export const InvalidNextToken = ec2Error('InvalidNextToken')
export const UnsupportedOperation = ec2Error('UnsupportedOperation')
export const DryRunOperation = ec2Error('DryRunOperation', 412)
