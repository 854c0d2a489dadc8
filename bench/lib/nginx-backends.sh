# Sourced by the data-plane benchmarks: the nginx that plays both back ends.
# nginx_backends_conf DIR ROOT PORT ADDRESS... : writes DIR/nginx.conf — one worker, "hello world\n"
# at /, files from ROOT, one listener per ADDRESS:PORT, NGINX_WORKER_CONNECTIONS (default 4096)
# connections — and creates DIR/logs. Start it with
#   nginx -p DIR -c DIR/nginx.conf
nginx_backends_conf() {
  local dir="$1" root="$2" port="$3"; shift 3
  local listen="" address
  for address in "$@"; do listen="$listen    listen $address:$port;"$'\n'; done
  mkdir -p "$dir/logs"
  cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $dir/logs/error.log crit;
pid $dir/nginx.pid;
worker_rlimit_nofile $(( ${NGINX_WORKER_CONNECTIONS:-4096} + 64 ));
events { worker_connections ${NGINX_WORKER_CONNECTIONS:-4096}; }
http {
  access_log off;
  keepalive_requests 1000000;
  sendfile on;
  server {
$listen    root $root;
    location = / { return 200 "hello world\n"; }
  }
}
CONF
}
