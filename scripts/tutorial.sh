#!/usr/bin/env bash
# `npm run tutorial`: the ELB developer guide's walkthrough "Creating a Load Balancer With SSL Cipher
# Settings and Back-end Server Authentication" (command-line section), run step by step with our
# tools against a fresh local engine, then real traffic through both listeners. Every command is
# printed exactly as it is run (`PROMPT> …`), followed by its real output. Ends with a ✓/✗ summary
# and exits non-zero if any step failed. docs/tutorial.md walks through the same steps.
#
# Knobs (environment): TUTORIAL_TIME_SCALE (default 0.05), ELB_LOCAL_PORT_OFFSET (default: 0 when
# ports 80/443 can be bound, else 8000), ELB_LOCAL_INSTANCE_NETWORK (default the engine's 127.0.0),
# TUTORIAL_KEEP_HOME=1 (keep the temporary state directory), NO_COLOR=1.
set -u -o pipefail

# shellcheck source=scripts/tutorial-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/tutorial-lib.sh"

start_tutorial_engine "Creating a Load Balancer With SSL Cipher Settings and Back-end Server Authentication" \
  "The ELB developer guide's command-line walkthrough, run with elb-tools against a local engine." \
  "PATH starts with $REPO/bin, so the commands are typed as in the guide."

section "Before you start: launch the instances in us-east-1a"
install_backend_certificate
# private_ip ID: the Private IP column of run-instances' table row for ID.
private_ip() { printf '%s\n' "$OUT" | awk -F'│' -v id="$1" '{gsub(/ /, "", $2); gsub(/ /, "", $4)} $2 == id {print $4}'; }
run "elb-local run-instances --id $INSTANCE_A --availability-zone us-east-1a --serve http:8080,https:443"
expect_match "launch $INSTANCE_A serving HTTP on 8080 and HTTPS on 443" "$INSTANCE_A +│ running"
IP_A="$(private_ip "$INSTANCE_A")"
run "elb-local run-instances --id $INSTANCE_B --availability-zone us-east-1a --serve http:8080,https:443"
expect_match "launch $INSTANCE_B serving HTTP on 8080 and HTTPS on 443" "$INSTANCE_B +│ running"
IP_B="$(private_ip "$INSTANCE_B")"
note "$INSTANCE_A is at $IP_A, $INSTANCE_B at $IP_B (loopback addresses stand in for their private IPs)."

section "Before you start: create a signed certificate for the HTTPS listener"
run "openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -subj /CN=www.example.com -keyout key.pem -out cert.pem 2>/dev/null"
ok=1; [ "$RC" -eq 0 ] || ok=0
record "make cert.pem and key.pem with openssl" "$ok"

# ---------------------------------------------------------------------------------------------
section "Configuring Listeners"
note "Step 1. Upload the certificate (-b and -k take the PEM files)."
run "iam-servercertupload -b cert.pem -k key.pem -s myCert -v"
expect_match "iam-servercertupload -s myCert -v prints the ARN and the id" $'^arn:aws:iam::[0-9]{12}:server-certificate/myCert\nASCA[A-Z0-9]{17}$'
ARN="$(printf '%s\n' "$OUT" | head -1)"
note "Step 2. Copy the ARN for the next step: $ARN"
note "The guide's own ARN is an example (its account has 11 digits, and its path /production/ was never given to"
note "iam-servercertupload). Pasted literally, it names no certificate of yours, so AWS — and the engine — refuse it:"
run "elb-create-lb $LB --headers --listener \"lb-port=80,instance-port=8080,protocol=http,instance-protocol=http\" --listener \"lb-port=443,instance-port=443,protocol=https,instance-protocol=https, cert-id=arn:aws:iam::55555555555:server-certificate/production/myCert\" --availability-zones us-east-1a"
if [ "$RC" -eq 1 ] && [ -z "$OUT" ] && [[ "$ERR" =~ Malformed\ input-Server\ Certificate\ not\ found\ for\ the\ key: ]]; then
  record "the guide's literal ARN fails with CertificateNotFound (exit status 1)" 1
else
  record "the guide's literal ARN fails with CertificateNotFound (exit status 1)" 0 "exit status $RC"
fi
note "Step 3. Create the load balancer with the ARN iam-servercertupload printed."
run "elb-create-lb $LB --headers --listener \"lb-port=80,instance-port=8080,protocol=http,instance-protocol=http\" --listener \"lb-port=443,instance-port=443,protocol=https,instance-protocol=https, cert-id=$ARN\" --availability-zones us-east-1a"
expect_match "elb-create-lb $LB with HTTP 80→8080 and HTTPS 443→443" $'^DNS_NAME  DNS_NAME\nDNS_NAME  MyLoadBalancer-[0-9]+\\.us-east-1\\.elb\\.amazonaws\\.com$'
DNS_NAME="$(printf '%s\n' "$OUT" | sed -n '2s/^DNS_NAME  //p')"

section "Configuring SSL Ciphers"
note "Step 1. List the policies of $LB."
run "elb-describe-lb-policies $LB --headers"
expect_match "elb-describe-lb-policies $LB --headers" $'^POLICY  NAME +TYPE_NAME\nPOLICY  ELBSecurityPolicy-[-0-9A-Za-z]+  SSLNegotiationPolicyType$'
note "Step 2. The attributes of SSLNegotiationPolicyType: protocols and ciphers, with their defaults."
run "elb-describe-lb-policy-types SSLNegotiationPolicyType --show-long"
expect_match "elb-describe-lb-policy-types SSLNegotiationPolicyType --show-long" '^POLICY_TYPE,SSLNegotiationPolicyType,Listener policy that defines the ciphers and protocols .*\{name=Protocol-TLSv1,.*\{name=DHE-RSA-AES256-SHA,'
note "Step 3. Create MySSLNegotiationPolicy. The guide's line is not valid shell (the closing quote after"
note "  value=false is missing); the corrected line:"
run "elb-create-lb-policy $LB --policy-name MySSLNegotiationPolicy --policy-type SSLNegotiationPolicyType --attribute \"name=Protocol-TLSv1,value=true\" --attribute \"name=Protocol-SSLv2,value=false\" --attribute \"name=DHE-RSA-AES256-SHA,value=true\""
expect "elb-create-lb-policy MySSLNegotiationPolicy (quoting corrected)" "OK-Creating LoadBalancer Policy"
note "Step 4. Use it on the HTTPS listener (the guide's trailing '>' would redirect into a file; dropped)."
run "elb-set-lb-policies-of-listener $LB --lb-port 443 --policy-name MySSLNegotiationPolicy"
expect "elb-set-lb-policies-of-listener $LB --lb-port 443" "OK-Setting Policies"
note "Step 5. View MySSLNegotiationPolicy (the guide's trailing '>' dropped again)."
run "elb-describe-lb-policies $LB --policy-names MySSLNegotiationPolicy"
expect "elb-describe-lb-policies --policy-names MySSLNegotiationPolicy" "POLICY  MySSLNegotiationPolicy  SSLNegotiationPolicyType"
note "The guide's partial listing is the long view; its attributes (first ten shown):"
run "elb-describe-lb-policies $LB --policy-names MySSLNegotiationPolicy --show-long | cut -d'}' -f1-10"
expect_match "… --show-long: TLSv1 and DHE-RSA-AES256-SHA enabled, SSLv2 disabled" '\{name=Protocol-SSLv2,value=false\},\{name=Protocol-TLSv1,value=true\}'
note "Attributes the request does not list keep SSLNegotiationPolicyType's DefaultValue, as the guide says"
note "(\"Protocol SSLv3 is still enabled, because that is part of the default policy\"). All that is enabled:"
run "elb-describe-lb-policies $LB --policy-names MySSLNegotiationPolicy --show-long | grep -o '{name=[^,]*,value=true}' | tr '\\n' ' '"
expect "… enabled: TLSv1, SSLv3 and the default ciphers, plus DHE-RSA-AES256-SHA" "{name=Protocol-TLSv1,value=true} {name=Protocol-SSLv3,value=true} {name=AES128-SHA,value=true} {name=AES256-SHA,value=true} {name=DES-CBC3-SHA,value=true} {name=RC4-SHA,value=true} {name=DHE-RSA-AES256-SHA,value=true} {name=RC4-MD5,value=true} "

section "Configuring Back-end Server Authentication"
note "Step 1. Retrieve the public key of the certificate the back-end servers present: fetch it from $INSTANCE_A"
note "  (HTTPS on $IP_A:443$( [ "$OFFSET" -gt 0 ] && printf ', bound as %s' "$P443")), then print its public key."
run "openssl s_client -connect $IP_A:$P443 -showcerts </dev/null 2>/dev/null | openssl x509 -outform pem > instance-cert.pem"
ok=1; [ "$RC" -eq 0 ] && [ -s "$WORK/instance-cert.pem" ] || ok=0
record "fetch the HTTPS certificate of $INSTANCE_A" "$ok"
run "openssl x509 -in instance-cert.pem -pubkey -noout"
expect_match "openssl x509 -pubkey -noout" '^-----BEGIN PUBLIC KEY-----'
PUBLIC_KEY="$(printf '%s\n' "$OUT" | grep -v -- '-----' | tr -d ' \t\r\n')"
note "Remove the BEGIN and END lines and all white space: that is the PublicKey value."
note "Step 2. Create the public key policy."
run "elb-create-lb-policy $LB --policy-name MyPublicKeyPolicy --policy-type-name PublicKeyPolicyType --attribute \"name=PublicKey,value=$PUBLIC_KEY\""
expect "elb-create-lb-policy MyPublicKeyPolicy (PublicKeyPolicyType)" "OK-Creating LoadBalancer Policy"
note "Step 3. Create the back-end server authentication policy that refers to it."
run "elb-create-lb-policy $LB --policy-name MyBackendServerAuthenticationPolicy --policy-type-name BackendServerAuthenticationPolicyType --attribute \"name=PublicKeyPolicyName,value=MyPublicKeyPolicy\""
expect "elb-create-lb-policy MyBackendServerAuthenticationPolicy" "OK-Creating LoadBalancer Policy"
note "Step 4. The guide's line names a policy that does not exist (MyBackendAuthenticationPolicy):"
run "elb-set-lb-policies-for-backend $LB --instance-port 443 --policy-names MyBackendAuthenticationPolicy"
if [ "$RC" -eq 1 ] && [ -z "$OUT" ] && printf '%s' "$ERR" | tr '\n' ' ' | grep -q 'Malformed input-There is no policy with name MyBackendAuthenticationPolicy for  *load balancer MyLoadBalancer'; then
  record "the guide's line fails with PolicyNotFound (exit status 1), as on AWS" 1
else
  record "the guide's line fails with PolicyNotFound (exit status 1), as on AWS" 0 "exit status $RC"
fi
note "… and with the policy's real name it succeeds:"
run "elb-set-lb-policies-for-backend $LB --instance-port 443 --policy-names MyBackendServerAuthenticationPolicy"
expect "elb-set-lb-policies-for-backend --instance-port 443 MyBackendServerAuthenticationPolicy" "OK-Setting Policies"
note "Step 5. All the policies of $LB."
run "elb-describe-lb-policies $LB"
expect_match "elb-describe-lb-policies $LB" $'^POLICY  ELBSecurityPolicy-[-0-9A-Za-z]+ +SSLNegotiationPolicyType\nPOLICY  MySSLNegotiationPolicy +SSLNegotiationPolicyType\nPOLICY  MyPublicKeyPolicy +PublicKeyPolicyType\nPOLICY  MyBackendServerAuthenticationPolicy  BackendServerAuthenticationPolicyType$'
note "Step 6. MyBackendServerAuthenticationPolicy."
run "elb-describe-lb-policies $LB --policy-names MyBackendServerAuthenticationPolicy"
expect "elb-describe-lb-policies --policy-names MyBackendServerAuthenticationPolicy" "POLICY  MyBackendServerAuthenticationPolicy  BackendServerAuthenticationPolicyType"

section "Configuring Health Check Settings"
run "elb-configure-healthcheck $LB --headers --target \"HTTP:8080/ping\" --interval 30 --timeout 3 --unhealthy-threshold 2 --healthy-threshold 2"
expect "elb-configure-healthcheck HTTP:8080/ping 30 3 2 2" $'HEALTH_CHECK  TARGET          INTERVAL  TIMEOUT  HEALTHY_THRESHOLD  UNHEALTHY_THRESHOLD\nHEALTH_CHECK  HTTP:8080/ping  30        3        2                  2'

section "Adding Amazon EC2 Instances"
run "elb-register-instances-with-lb $LB --headers --instances $INSTANCE_A,$INSTANCE_B"
expect "elb-register-instances-with-lb $INSTANCE_A,$INSTANCE_B" $'INSTANCE_ID  INSTANCE_ID\nINSTANCE_ID  i-4f8cf126\nINSTANCE_ID  i-0bb7ca62'

# ---------------------------------------------------------------------------------------------
section "Your load balancer at work"
note "Waiting (at most ${HEALTH_WAIT_SECONDS} s) until the health check has found both instances healthy…"
deadline=$((SECONDS + HEALTH_WAIT_SECONDS))
while :; do
  health="$(elb-describe-instance-health "$LB" 2>/dev/null)"
  [ "$(printf '%s\n' "$health" | grep -c '  InService  ')" -eq 2 ] && break
  [ "$SECONDS" -ge "$deadline" ] && break
  sleep 0.2
done
run "elb-describe-instance-health $LB --headers"
expect "both instances InService" $'INSTANCE_ID  INSTANCE_ID  STATE      DESCRIPTION  REASON-CODE\nINSTANCE_ID  i-4f8cf126   InService  N/A          N/A\nINSTANCE_ID  i-0bb7ca62   InService  N/A          N/A'

lb_address "$DNS_NAME"
http_traffic "$DNS_NAME"

note "HTTPS listener (port 443$( [ "$OFFSET" -gt 0 ] && printf ', bound as %s' "$P443")) under MySSLNegotiationPolicy: TLSv1 (and SSLv3) with"
note "DHE-RSA-AES256-SHA and the type's default ciphers. This machine's OpenSSL cannot offer SSLv3, RC4 or 3DES; the"
note "engine leaves them out and says so in its status (never as an API error):"
run "elb-local status --wide | grep -A1 'HTTPS:443' | grep -o 'not offered by this OpenSSL: [^│]*' | sed 's/ *$//'"
expect_match "elb-local status names what the policy enables but OpenSSL cannot offer" '^not offered by this OpenSSL: Protocol-SSLv3.*RC4-SHA, RC4-MD5'
note "A client that insists on TLSv1.2 is refused (TLSv1.2's default is false):"
run "openssl s_client -connect $LB_ADDRESS:$P443 -tls1_2 </dev/null 2>&1 | grep -E '^(New|Protocol|.*alert)'"
if printf '%s' "$OUT" | grep -q 'Cipher is (NONE)'; then record "a TLSv1.2-only client is refused (the policy disables TLSv1.2)" 1
else record "a TLSv1.2-only client is refused (the policy disables TLSv1.2)" 0 "the handshake succeeded"
fi
note "A TLSv1 client offering DHE-RSA-AES256-SHA gets the certificate uploaded as myCert (OpenSSL 3 clients"
note "need @SECLEVEL=0 to speak TLSv1 at all):"
run "openssl s_client -connect $LB_ADDRESS:$P443 -tls1 -cipher 'DHE-RSA-AES256-SHA:@SECLEVEL=0' </dev/null 2>/dev/null | openssl x509 -noout -subject -fingerprint -sha256"
served="$OUT"
run "openssl x509 -in cert.pem -noout -subject -fingerprint -sha256"
if [ -n "$served" ] && [ "$served" = "$OUT" ]; then record "TLSv1 + DHE-RSA-AES256-SHA handshake presents myCert" 1
else record "TLSv1 + DHE-RSA-AES256-SHA handshake presents myCert" 0 "different or no certificate"
fi
note "AES128-SHA, which the request did not list, is on by the type's default:"
run "openssl s_client -connect $LB_ADDRESS:$P443 -tls1 -cipher 'AES128-SHA:@SECLEVEL=0' </dev/null 2>&1 | grep -E '^(New|Protocol|.*alert)'"
if printf '%s' "$OUT" | grep -q 'Cipher is AES128-SHA'; then record "TLSv1 + AES128-SHA (a default cipher) is accepted" 1
else record "TLSv1 + AES128-SHA (a default cipher) is accepted" 0 "the handshake failed"
fi
note "Four HTTPS requests (back-end HTTPS to port 443, authenticated with MyPublicKeyPolicy):"
seen_a=0 seen_b=0
for _ in 1 2 3 4; do
  run "curl -sk --max-time 5 --tlsv1.0 --tls-max 1.0 --ciphers 'DHE-RSA-AES256-SHA:@SECLEVEL=0' --resolve $DNS_NAME:$P443:$LB_ADDRESS https://$DNS_NAME:$P443/ | grep -E '\"(instanceId|protocol)\"'"
  case "$OUT" in *"$INSTANCE_A"*'"https"'*) seen_a=$((seen_a + 1)) ;; *"$INSTANCE_B"*'"https"'*) seen_b=$((seen_b + 1)) ;; esac
done
check_spread "HTTPS :443 → both instances on HTTPS 443" "$seen_a" "$seen_b"

# ---------------------------------------------------------------------------------------------
finish_tutorial
