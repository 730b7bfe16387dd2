# proxies.sh - helhed behind the shipped proxy examples on loopback, for
# tests/tls/test_tls.sh and bench/tls.sh (sourced, POSIX sh).
#
# The caller sets $tmp (a scratch folder it removes) and $build, defines
# ok NAME, bad NAME and check NAME COMMAND..., and calls stop_all when it
# ends. The addresses keep the parties apart: the proxy connects to helhed
# from 127.0.0.2 (trusted_proxies = 127.0.0.2); clients speak from
# 127.0.0.3 and up.

helhed_pid=
proxy_pid=
proxy_log=
site=borger.test

# Stops the proxy and helhed, whichever runs.
stop_all() {
	[ -z "$proxy_pid" ] || kill "$proxy_pid" 2>/dev/null
	[ -z "$helhed_pid" ] || kill "$helhed_pid" 2>/dev/null
	[ -z "$proxy_pid" ] || wait "$proxy_pid" 2>/dev/null
	[ -z "$helhed_pid" ] || wait "$helhed_pid" 2>/dev/null
	proxy_pid=
	helhed_pid=
}

stop_proxy() {
	if [ -n "$proxy_pid" ]; then
		kill "$proxy_pid" 2>/dev/null
		wait "$proxy_pid" 2>/dev/null
	fi
	proxy_pid=
}

# A throwaway CA ($tmp/ca.pem) and a certificate for $site signed by it
# ($tmp/server.pem, key $tmp/server.key; both in $tmp/helhed.pem for
# HAProxy). Returns 1, having printed openssl's words, when it cannot.
make_certs() {
	if ! {
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 2 \
			-subj "/CN=helhed test CA" &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$tmp/server.key" -out "$tmp/server.csr" \
			-subj "/CN=$site" &&
		printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' \
			"$site" >"$tmp/ext.cnf" &&
		openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" \
			-CAkey "$tmp/ca.key" -CAcreateserial -days 2 \
			-extfile "$tmp/ext.cnf" -out "$tmp/server.pem"
	} >"$tmp/openssl.log" 2>&1; then
		cat "$tmp/openssl.log"
		return 1
	fi
	# HAProxy's crt: the certificate, then its key, in one file
	cat "$tmp/server.pem" "$tmp/server.key" >"$tmp/helhed.pem"
	chmod 600 "$tmp/helhed.pem" "$tmp/ca.key" "$tmp/server.key"
}

# Three free ports, asked of the kernel, into http_port, https_port and
# helhed_port, and the public URL into public (one port might be taken
# again before use; then a start fails and says so).
pick_ports() {
	ports=$(python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
	http_port=${ports%% *}
	helhed_port=${ports##* }
	https_port=${ports#* }
	https_port=${https_port% *}
	public="https://$site:$https_port"
}

# Starts helhed on $helhed_port with the public URL, trusting 127.0.0.2,
# and the further flags given; its log in $tmp/helhed.err. Returns 1,
# having printed the log, when it does not start.
start_helhed() {
	HELHED_CONFIG=none "$build/helhed" serve --db "$tmp/helhed.db" \
		--listen "127.0.0.1:$helhed_port" --print-time off \
		--public-url "$public/" --trusted-proxies 127.0.0.2 "$@" \
		>"$tmp/helhed.out" 2>"$tmp/helhed.err" &
	helhed_pid=$!
	i=0
	while ! grep -q "serving http://" "$tmp/helhed.out" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt 1200 ] || ! kill -0 "$helhed_pid" 2>/dev/null; then
			cat "$tmp/helhed.err"
			return 1
		fi
		sleep 0.1
	done
}

# curl as a client at $1 (127.0.0.N), over https through the proxy, the
# rest its arguments; the headers into $tmp/h, the body into $tmp/b.
via() {
	src=$1
	shift
	curl -sS --max-time 20 --cacert "$tmp/ca.pem" \
		--resolve "$site:$https_port:127.0.0.1" \
		--resolve "$site:$http_port:127.0.0.1" \
		--interface "$src" -D "$tmp/h" -o "$tmp/b" "$@"
}
status() { sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$tmp/h"; }
header() { # header NAME: its value in $tmp/h
	grep -i "^$1:" "$tmp/h" | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'
}

# HAProxy from docs/examples/haproxy-helhed.cfg. What changes, each
# replacement checked to have happened: the machine's own parts of global
# (chroot, user, syslog, the stats socket, daemon), the ports, the
# certificate's path, the public name, and helhed's address with the
# source address HAProxy connects from. (The ports become IPv4 loopback
# only, as nginx's do.)
start_haproxy() {
	sed -e '/^ *log \/dev\/log/d' -e '/^ *chroot /d' -e '/^ *stats socket /d' \
		-e '/^ *user /d' -e '/^ *group /d' -e '/^ *daemon$/d' \
		-e "s|^\( *bind \):::80 v4v6\$|\1127.0.0.1:$http_port|" \
		-e "s|^\( *bind \):::443 v4v6 ssl crt /etc/haproxy/certs/helhed.pem|\1127.0.0.1:$https_port ssl crt $tmp/helhed.pem|" \
		-e "s|https://borger.example.dk|$public|" \
		-e "s|^\( *server helhed1 \)127.0.0.1:8080 \(.*\)\$|\1127.0.0.1:$helhed_port source 127.0.0.2 \2|" \
		docs/examples/haproxy-helhed.cfg >"$tmp/haproxy.cfg"
	check "haproxy: the example's ports, certificate, name and server were replaced" \
		sh -c "grep -q 'bind 127.0.0.1:$http_port\$' '$tmp/haproxy.cfg' &&
			grep -q 'bind 127.0.0.1:$https_port ssl crt $tmp/helhed.pem alpn' '$tmp/haproxy.cfg' &&
			grep -q 'redirect prefix $public code 301' '$tmp/haproxy.cfg' &&
			grep -q 'server helhed1 127.0.0.1:$helhed_port source 127.0.0.2 check' '$tmp/haproxy.cfg' &&
			! grep -Eq '^ *(chroot|user|group|daemon)( |\$)' '$tmp/haproxy.cfg'"
	if ! haproxy -c -f "$tmp/haproxy.cfg" >"$tmp/haproxy-check.log" 2>&1; then
		cat "$tmp/haproxy-check.log"
		bad "haproxy -c accepts the example"
		return 1
	fi
	ok "haproxy -c accepts the example"
	haproxy -db -f "$tmp/haproxy.cfg" >"$tmp/haproxy.log" 2>&1 &
	proxy_pid=$!
	proxy_log=$tmp/haproxy.log
	wait_proxy haproxy
}

# nginx from docs/examples/nginx-helhed.conf, as a site included by a
# main configuration of the caller's own (the pid file, the logs and the
# temporary files in $tmp). Replaced: the ports (IPv4 loopback only), the
# certificate's paths, the public name, helhed's port, and proxy_bind to
# the address nginx connects from.
start_nginx() {
	sed -e '/^ *listen \[::\]:/d' \
		-e "s|^\( *listen \)80;|\1127.0.0.1:$http_port;|" \
		-e "s|^\( *listen \)443 ssl http2;|\1127.0.0.1:$https_port ssl http2;|" \
		-e "s|https://borger.example.dk|$public|" \
		-e "s|server_name borger.example.dk;|server_name $site;|" \
		-e "s|/etc/ssl/helhed/fullchain.pem|$tmp/server.pem|" \
		-e "s|/etc/ssl/helhed/privkey.pem|$tmp/server.key|" \
		-e "s|^\( *server \)127.0.0.1:8080;|\1127.0.0.1:$helhed_port;|" \
		-e "s|^\( *proxy_pass http://helhed;\)|\1 proxy_bind 127.0.0.2;|" \
		docs/examples/nginx-helhed.conf >"$tmp/nginx-site.conf"
	check "nginx: the example's ports, certificate, name and server were replaced" \
		sh -c "grep -q 'listen 127.0.0.1:$http_port;' '$tmp/nginx-site.conf' &&
			grep -q 'listen 127.0.0.1:$https_port ssl http2;' '$tmp/nginx-site.conf' &&
			grep -q 'return 301 $public\$request_uri;' '$tmp/nginx-site.conf' &&
			grep -q 'ssl_certificate $tmp/server.pem;' '$tmp/nginx-site.conf' &&
			grep -q 'server 127.0.0.1:$helhed_port;' '$tmp/nginx-site.conf' &&
			grep -q 'proxy_bind 127.0.0.2;' '$tmp/nginx-site.conf' &&
			! grep -q 'listen \[::\]' '$tmp/nginx-site.conf'"
	mkdir -p "$tmp/nginx"
	{
		echo "user root;"
		echo "worker_processes ${HELHED_NGINX_WORKERS:-1};"
		echo "pid $tmp/nginx/nginx.pid;"
		echo "error_log $tmp/nginx/error.log;"
		echo "events { worker_connections 1024; }"
		echo "http {"
		echo "	access_log off;"
		for t in client_body proxy fastcgi uwsgi scgi; do
			echo "	${t}_temp_path $tmp/nginx/$t;"
		done
		echo "	include $tmp/nginx-site.conf;"
		echo "}"
	} >"$tmp/nginx.conf"
	if ! nginx -t -q -e "$tmp/nginx/error.log" -c "$tmp/nginx.conf" \
		>"$tmp/nginx-check.log" 2>&1; then
		cat "$tmp/nginx-check.log" "$tmp/nginx/error.log"
		bad "nginx -t accepts the example"
		return 1
	fi
	ok "nginx -t accepts the example"
	nginx -e "$tmp/nginx/error.log" -c "$tmp/nginx.conf" -g 'daemon off;' \
		>"$tmp/nginx.log" 2>&1 &
	proxy_pid=$!
	proxy_log=$tmp/nginx/error.log
	wait_proxy nginx
}

# Waits until proxy $1 is up and has found helhed healthy: /readyz comes
# through over https, the certificate checked against the CA.
wait_proxy() {
	i=0
	until via 127.0.0.3 "$public/readyz" 2>/dev/null && [ "$(status)" = 200 ]; do
		i=$((i + 1))
		if [ "$i" -gt 300 ] || ! kill -0 "$proxy_pid" 2>/dev/null; then
			cat "$proxy_log"
			via 127.0.0.3 "$public/readyz"
			bad "$1 answers over https with the example"
			return 1
		fi
		sleep 0.1
	done
	ok "$1 answers over https, its certificate verified against the CA"
}
