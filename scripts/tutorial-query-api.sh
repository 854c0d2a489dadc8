#!/usr/bin/env bash
# `npm run tutorial:query-api`: the ELB developer guide's "Using Query API" walkthrough (Creating a
# Load Balancer With SSL Cipher Settings and Back-end Server Authentication), every step sent as a
# Query request with the guide's parameter names and values — Version=2011-11-15, as the guide's API
# version — signed with Signature Version 4 by `curl --aws-sigv4`, against a fresh local engine.
# Each request's parameters are printed as the guide lists them, then the XML answer. The guide's
# placeholders are filled in as the CLI tutorial does (testCert with a chain ordered root-last, the
# instances' real public key); the two instances are launched through the engine's EC2 API. Ends
# with real traffic through both listeners and a ✓/✗ summary; exits non-zero if a step failed.
#
# Knobs: as scripts/tutorial.sh (TUTORIAL_TIME_SCALE, ELB_LOCAL_PORT_OFFSET, ELB_LOCAL_INSTANCE_NETWORK,
# ELB_LOCAL_LB_NETWORK, TUTORIAL_KEEP_HOME=1, NO_COLOR=1).
set -u -o pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/tutorial-lib.sh
. "$REPO/scripts/tutorial-lib.sh"

ELB_VERSION=2011-11-15
IAM_VERSION=2010-05-08
EC2_VERSION=2016-11-15
REGION=us-east-1
# Any credentials do: the engine has no accounts. curl signs with them as it would for AWS.
ACCESS_KEY=AKIDEXAMPLE
SECRET_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY

# show_value VALUE: a parameter value as printed (long PEM/base64 values shortened).
show_value() {
  local value="$1"
  if [ "${#value}" -gt 72 ]; then printf '%s… (%s characters)' "$(printf '%s' "${value:0:56}" | tr '\n' ' ')" "${#value}"
  else printf '%s' "$value"
  fi
}

# query SERVICE VERSION ACTION [NAME=VALUE | NAME@FILE]…: prints the call and its parameters, sends it
# (POST, form-encoded, SigV4 for SERVICE in us-east-1), prints the XML answer. XML holds the answer,
# STATUS the HTTP status.
XML='' STATUS=0
query() {
  local service="$1" version="$2" action="$3" pair name value
  shift 3
  printf '%sCall %s%s (Version %s) with the following parameters:\n' "$BOLD" "$action" "$RESET" "$version"
  local args=(--data-urlencode "Action=$action" --data-urlencode "Version=$version")
  for pair in "$@"; do
    if [[ "$pair" == *=* ]]; then
      name="${pair%%=*}" value="${pair#*=}"
    else
      name="${pair%%@*}" value="$(cat "$WORK/${pair#*@}")"
    fi
    printf '    • %s = %s\n' "$name" "$(show_value "$value")"
    args+=(--data-urlencode "$pair")
  done
  local out="$WORK/.answer"
  STATUS="$(cd "$WORK" && curl -sS --max-time 30 -o "$out" -w '%{http_code}' \
    --aws-sigv4 "aws:amz:$REGION:$service" --user "$ACCESS_KEY:$SECRET_KEY" \
    "$ELB_LOCAL_ENDPOINT/" "${args[@]}")" || STATUS=0
  XML="$(cat "$out" 2>/dev/null)"
  printf '%s→ HTTP %s%s\n%s\n' "$DIM" "$STATUS" "$RESET" "$XML"
}

# expect_xml NAME REGEX: the last answer was 200 and its XML matches REGEX.
expect_xml() {
  local name="$1" pattern="$2"
  if [ "$STATUS" != 200 ]; then record "$name" 0 "HTTP $STATUS"
  elif ! [[ "$XML" =~ $pattern ]]; then record "$name" 0 "answer does not match /$pattern/"
  else record "$name" 1
  fi
}
xml_value() { printf '%s' "$XML" | sed -n "s:.*<$1>\\([^<]*\\)</$1>.*:\\1:p" | head -1; }

NS_ELB="http://elasticloadbalancing.amazonaws.com/doc/$ELB_VERSION/"

start_tutorial_engine "Creating a Load Balancer With SSL Cipher Settings and Back-end Server Authentication — Using Query API" \
  "The ELB developer guide's Query API walkthrough, sent with curl --aws-sigv4 to a local engine."

section "Before you start: certificates"
note "A signed certificate for the HTTPS listener: a root CA, an intermediate CA and the server certificate (testCert)."
run "openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -subj '/CN=Example Root CA' -keyout root-key.pem -out root.pem 2>/dev/null"
ok=1; [ "$RC" -eq 0 ] || ok=0
run "openssl req -newkey rsa:2048 -nodes -sha256 -subj '/CN=Example Intermediate CA' -keyout intermediate-key.pem -out intermediate.csr 2>/dev/null && printf 'basicConstraints=critical,CA:true\nkeyUsage=keyCertSign,cRLSign\n' > ca.ext && openssl x509 -req -in intermediate.csr -CA root.pem -CAkey root-key.pem -CAcreateserial -days 365 -sha256 -extfile ca.ext -out intermediate.pem 2>/dev/null"
[ "$RC" -eq 0 ] || ok=0
run "openssl req -newkey rsa:2048 -nodes -sha256 -subj '/CN=www.example.com' -keyout key.pem -out cert.csr 2>/dev/null && printf 'subjectAltName=DNS:www.example.com\n' > leaf.ext && openssl x509 -req -in cert.csr -CA intermediate.pem -CAkey intermediate-key.pem -CAcreateserial -days 365 -sha256 -extfile leaf.ext -out cert.pem 2>/dev/null"
[ "$RC" -eq 0 ] || ok=0
note "The chain ordered so that the root certificate is the last one, as the guide requires:"
run "cat intermediate.pem root.pem > chain.pem && grep -c 'BEGIN CERTIFICATE' chain.pem"
[ "$RC" -eq 0 ] && [ "$OUT" = 2 ] || ok=0
record "make testCert (signed by an intermediate CA) and its chain, root last" "$ok"
install_backend_certificate

section "Before you start: launch the instances in us-east-1a (EC2 API)"
note "The engine's EC2 API (RunInstances, $EC2_VERSION) on the same endpoint. Two tags choose what the stand-in"
note "instance is: elb-local:instance-id (the guide's ids) and elb-local:serve (its demo HTTP/HTTPS back ends)."
for id in "$INSTANCE_A" "$INSTANCE_B"; do
  query ec2 "$EC2_VERSION" RunInstances ImageId=ami-12345678 MinCount=1 MaxCount=1 Placement.AvailabilityZone=us-east-1a \
    TagSpecification.1.ResourceType=instance TagSpecification.1.Tag.1.Key=elb-local:instance-id "TagSpecification.1.Tag.1.Value=$id" \
    TagSpecification.1.Tag.2.Key=elb-local:serve TagSpecification.1.Tag.2.Value=http:8080,https:443
  expect_xml "RunInstances launches $id" "<instanceId>$id</instanceId>.*<name>running</name>"
done
query ec2 "$EC2_VERSION" DescribeInstances InstanceId.1="$INSTANCE_A" InstanceId.2="$INSTANCE_B"
expect_xml "DescribeInstances shows both running in us-east-1a" "<instanceId>$INSTANCE_A</instanceId>.*<availabilityZone>us-east-1a</availabilityZone>.*<instanceId>$INSTANCE_B</instanceId>"
# Its public address: the one a client reaches it on (in a VPC its private address lies in its subnet).
IP_A="$(xml_value ipAddress)"

# ---------------------------------------------------------------------------------------------
section "Configuring Listeners"
note "Step 1. UploadServerCertificate (IAM, Version $IAM_VERSION)."
query iam "$IAM_VERSION" UploadServerCertificate ServerCertificateName=testCert CertificateBody@cert.pem PrivateKey@key.pem CertificateChain@chain.pem Path=/
expect_xml "UploadServerCertificate testCert answers its ARN" '<Arn>arn:aws:iam::[0-9]{12}:server-certificate/testCert</Arn>'
ARN="$(xml_value Arn)"
note "Use this ARN for SSLCertificateId: $ARN"
note "(The guide's arn:aws:iam::55555555555:server-certificate/production/myCert is an example: it names no certificate"
note "of yours, and AWS — like the engine — answers CertificateNotFound for it.)"
note "Step 2. CreateLoadBalancer."
query elasticloadbalancing "$ELB_VERSION" CreateLoadBalancer AvailabilityZones.member.1=us-east-1a \
  Listeners.member.1.Protocol=HTTP Listeners.member.1.InstanceProtocol=HTTP Listeners.member.1.InstancePort=8080 Listeners.member.1.LoadBalancerPort=80 \
  Listeners.member.2.Protocol=HTTPS Listeners.member.2.InstanceProtocol=HTTPS Listeners.member.2.InstancePort=443 Listeners.member.2.LoadBalancerPort=443 \
  "Listeners.member.2.SSLCertificateId=$ARN" LoadBalancerName=$LB
expect_xml "CreateLoadBalancer $LB answers its DNS name (namespace of $ELB_VERSION)" "<CreateLoadBalancerResponse xmlns=\"$NS_ELB\">.*<DNSName>MyLoadBalancer-[0-9]+\\.us-east-1\\.elb\\.amazonaws\\.com</DNSName>"
DNS_NAME="$(xml_value DNSName)"

section "Configuring SSL Ciphers"
note "Step 1. DescribeLoadBalancerPolicies: the default cipher settings of the HTTPS listener."
query elasticloadbalancing "$ELB_VERSION" DescribeLoadBalancerPolicies LoadBalancerName=$LB
expect_xml "DescribeLoadBalancerPolicies lists the default SSL negotiation policy" '<PolicyTypeName>SSLNegotiationPolicyType</PolicyTypeName>'
note "Step 2. CreateLoadBalancerPolicy MySSLNegotiationPolicy with Protocol-TLSv1 = true only: every attribute not"
note "listed keeps SSLNegotiationPolicyType's DefaultValue."
query elasticloadbalancing "$ELB_VERSION" CreateLoadBalancerPolicy PolicyName=MySSLNegotiationPolicy PolicyTypeName=SSLNegotiationPolicyType \
  PolicyAttributes.member.1.AttributeName=Protocol-TLSv1 PolicyAttributes.member.1.AttributeValue=true LoadBalancerName=$LB
expect_xml "CreateLoadBalancerPolicy MySSLNegotiationPolicy" '<CreateLoadBalancerPolicyResponse'
note "Step 3. SetLoadBalancerPoliciesOfListener."
query elasticloadbalancing "$ELB_VERSION" SetLoadBalancerPoliciesOfListener LoadBalancerPort=443 PolicyNames.member.1=MySSLNegotiationPolicy LoadBalancerName=$LB
expect_xml "SetLoadBalancerPoliciesOfListener 443 MySSLNegotiationPolicy" '<SetLoadBalancerPoliciesOfListenerResponse'
note "Step 4. DescribeLoadBalancerPolicies MySSLNegotiationPolicy (its full attribute list)."
query elasticloadbalancing "$ELB_VERSION" DescribeLoadBalancerPolicies LoadBalancerName=$LB PolicyNames.member.1=MySSLNegotiationPolicy
expect_xml "… Protocol-TLSv1 true, and SSLv3 still enabled (the default policy)" '<AttributeName>Protocol-TLSv1</AttributeName>[[:space:]]*<AttributeValue>true</AttributeValue>.*<AttributeName>Protocol-SSLv3</AttributeName>[[:space:]]*<AttributeValue>true</AttributeValue>'

section "Configuring Back-end Server Authentication"
note "The public key of the certificate the back-end servers present: fetched from $INSTANCE_A (HTTPS on $IP_A:443$( [ "$OFFSET" -gt 0 ] && printf ', bound as %s' "$P443")),"
note "with the BEGIN and END lines and the white space removed."
run "openssl s_client -connect $IP_A:$P443 </dev/null 2>/dev/null | openssl x509 -noout -pubkey | grep -v -- '-----' | tr -d '\\n'"
PUBLIC_KEY="$OUT"
ok=1; [ "$RC" -eq 0 ] && [ "${#PUBLIC_KEY}" -gt 100 ] || ok=0
record "the public key of the instances' certificate" "$ok"
note "Step 1. CreateLoadBalancerPolicy MyPublicKeyPolicy."
query elasticloadbalancing "$ELB_VERSION" CreateLoadBalancerPolicy PolicyName=MyPublicKeyPolicy PolicyTypeName=PublicKeyPolicyType \
  PolicyAttributes.member.1.AttributeName=PublicKey "PolicyAttributes.member.1.AttributeValue=$PUBLIC_KEY" LoadBalancerName=$LB
expect_xml "CreateLoadBalancerPolicy MyPublicKeyPolicy" '<CreateLoadBalancerPolicyResponse'
note "Step 2. CreateLoadBalancerPolicy MyBackendServerAuthenticationPolicy."
query elasticloadbalancing "$ELB_VERSION" CreateLoadBalancerPolicy PolicyName=MyBackendServerAuthenticationPolicy PolicyTypeName=BackendServerAuthenticationPolicyType \
  PolicyAttributes.member.1.AttributeName=PublicKeyPolicyName PolicyAttributes.member.1.AttributeValue=MyPublicKeyPolicy LoadBalancerName=$LB
expect_xml "CreateLoadBalancerPolicy MyBackendServerAuthenticationPolicy" '<CreateLoadBalancerPolicyResponse'
note "Step 3. SetLoadBalancerPoliciesForBackendServer."
query elasticloadbalancing "$ELB_VERSION" SetLoadBalancerPoliciesForBackendServer LoadBalancerName=$LB InstancePort=443 PolicyNames.member.1=MyBackendServerAuthenticationPolicy
expect_xml "SetLoadBalancerPoliciesForBackendServer 443" '<SetLoadBalancerPoliciesForBackendServerResponse'
note "Step 4. DescribeLoadBalancerPolicies: all the policies of $LB."
query elasticloadbalancing "$ELB_VERSION" DescribeLoadBalancerPolicies LoadBalancerName=$LB
expect_xml "… lists MySSLNegotiationPolicy, MyPublicKeyPolicy and MyBackendServerAuthenticationPolicy" '<PolicyName>MySSLNegotiationPolicy</PolicyName>.*<PolicyName>MyPublicKeyPolicy</PolicyName>.*<PolicyName>MyBackendServerAuthenticationPolicy</PolicyName>'
note "Step 5. DescribeLoadBalancerPolicies MyBackendServerAuthenticationPolicy."
query elasticloadbalancing "$ELB_VERSION" DescribeLoadBalancerPolicies LoadBalancerName=$LB PolicyNames.member.1=MyBackendServerAuthenticationPolicy
expect_xml "… PublicKeyPolicyName = MyPublicKeyPolicy" '<AttributeName>PublicKeyPolicyName</AttributeName>[[:space:]]*<AttributeValue>MyPublicKeyPolicy</AttributeValue>'

section "Configuring Health Check Settings"
query elasticloadbalancing "$ELB_VERSION" ConfigureHealthCheck LoadBalancerName=$LB HealthCheck.Target=http:8080/ping HealthCheck.Interval=30 \
  HealthCheck.Timeout=3 HealthCheck.HealthyThreshold=2 HealthCheck.UnhealthyThreshold=2
expect_xml "ConfigureHealthCheck http:8080/ping 30 3 2 2" '<Target>http:8080/ping</Target>'

section "Adding Amazon EC2 Instances"
query elasticloadbalancing "$ELB_VERSION" RegisterInstancesWithLoadBalancer LoadBalancerName=$LB \
  Instances.member.1.InstanceId=$INSTANCE_A Instances.member.2.InstanceId=$INSTANCE_B
expect_xml "RegisterInstancesWithLoadBalancer $INSTANCE_A, $INSTANCE_B" "<InstanceId>$INSTANCE_A</InstanceId>.*<InstanceId>$INSTANCE_B</InstanceId>"

# ---------------------------------------------------------------------------------------------
section "Your load balancer at work"
note "Waiting (at most ${HEALTH_WAIT_SECONDS} s) until the health check has found both instances healthy…"
deadline=$((SECONDS + HEALTH_WAIT_SECONDS))
while :; do
  health="$(curl -sS --max-time 5 --aws-sigv4 "aws:amz:$REGION:elasticloadbalancing" --user "$ACCESS_KEY:$SECRET_KEY" "$ELB_LOCAL_ENDPOINT/" \
    --data-urlencode Action=DescribeInstanceHealth --data-urlencode "Version=$ELB_VERSION" --data-urlencode "LoadBalancerName=$LB" 2>/dev/null)"
  [ "$(printf '%s' "$health" | grep -c '<State>InService</State>')" -eq 2 ] && break
  [ "$SECONDS" -ge "$deadline" ] && break
  sleep 0.2
done
query elasticloadbalancing "$ELB_VERSION" DescribeInstanceHealth LoadBalancerName=$LB
expect_xml "both instances InService" "<State>InService</State>.*<State>InService</State>"

lb_address "$DNS_NAME"
http_traffic "$DNS_NAME"

note "HTTPS listener (port 443$( [ "$OFFSET" -gt 0 ] && printf ', bound as %s' "$P443")) under MySSLNegotiationPolicy: TLSv1 with the type's default ciphers"
note "(the request listed only Protocol-TLSv1). OpenSSL 3 clients need @SECLEVEL=0 to speak TLSv1. A TLSv1.2 client is refused:"
run "openssl s_client -connect $LB_ADDRESS:$P443 -tls1_2 </dev/null 2>&1 | grep -E '^(New|Protocol|.*alert)'"
if printf '%s' "$OUT" | grep -q 'Cipher is (NONE)'; then record "a TLSv1.2-only client is refused (TLSv1.2 defaults to false)" 1
else record "a TLSv1.2-only client is refused (TLSv1.2 defaults to false)" 0 "the handshake succeeded"
fi
run "openssl s_client -connect $LB_ADDRESS:$P443 -tls1 -cipher 'AES128-SHA:@SECLEVEL=0' </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer"
expect "TLSv1 + AES128-SHA (a default) presents testCert, issued by the intermediate CA" $'subject=CN = www.example.com\nissuer=CN = Example Intermediate CA'
note "Four HTTPS requests (back-end HTTPS to port 443, authenticated with MyPublicKeyPolicy), verifying testCert's chain"
note "up to the root CA:"
seen_a=0 seen_b=0
for _ in 1 2 3 4; do
  run "curl -s --max-time 5 --cacert root.pem --tlsv1.0 --tls-max 1.0 --ciphers 'AES128-SHA:@SECLEVEL=0' --resolve www.example.com:$P443:$LB_ADDRESS https://www.example.com:$P443/ | grep -E '\"(instanceId|protocol)\"'"
  case "$OUT" in *"$INSTANCE_A"*'"https"'*) seen_a=$((seen_a + 1)) ;; *"$INSTANCE_B"*'"https"'*) seen_b=$((seen_b + 1)) ;; esac
done
check_spread "HTTPS :443 → both instances on HTTPS 443, chain verified" "$seen_a" "$seen_b"

finish_tutorial
