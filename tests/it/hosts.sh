#!/bin/bash
# hosts.sh - a sweep spread over two "hosts" with GNU parallel
# (tools/hosts.sh): two sshd of the test's own (Debian's openssh-server, a
# config, host keys and a client key made here, on 127.0.0.2 and 127.0.0.3
# at ports of the test's own), a small sweep through parallel across both,
# merged and plotted; the merged set must equal one host's (the same cells,
# each once, the same checksums, charts drawn). A third host that does not
# answer is named and left out; a host whose sweep dies mid-way leaves its
# cells marked for --resume; one run goes to a latency server on the second
# host. Nothing outside 127.0.0.0/8 is touched; nothing is left running.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CM=$ROOT/cmbench

skip_all() {
	echo "ok - hosts: skipped ($1)"
	exit 0
}
[ "$(id -u)" -eq 0 ] || skip_all "needs root to run sshd"
for t in /usr/sbin/sshd ssh ssh-keygen parallel rsync; do
	command -v "$t" >/dev/null || skip_all "$t not installed"
done

t0=$(date +%s)
SSHD_PIDS=""
SERVE_SSH=""
stop_all() {
	[ -n "$SERVE_SSH" ] && kill "$SERVE_SSH" 2>/dev/null
	for p in $SSHD_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	cleanup_lib
}
trap stop_all EXIT

# a port nobody listens on, from the test's own range
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 30000))
		ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}

# the keys and the two sshd
[ -d /run/sshd ] || mkdir -p -m 0755 /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$TMP/host_key" </dev/null
ssh-keygen -q -t ed25519 -N '' -f "$TMP/key" </dev/null
cp "$TMP/key.pub" "$TMP/authorized_keys"
chmod 600 "$TMP/authorized_keys"
: >"$TMP/ssh_config"
n=0
for addr in 127.0.0.2 127.0.0.3; do
	n=$((n + 1))
	port=$(free_port)
	cat >"$TMP/sshd$n.conf" <<EOF
ListenAddress $addr:$port
HostKey $TMP/host_key
AuthorizedKeysFile $TMP/authorized_keys
PidFile $TMP/sshd$n.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
AcceptEnv PARALLEL_*
EOF
	/usr/sbin/sshd -D -e -f "$TMP/sshd$n.conf" 2>"$TMP/sshd$n.log" &
	SSHD_PIDS="$SSHD_PIDS $!"
	cat >>"$TMP/ssh_config" <<EOF
Host h$n
	HostName $addr
	Port $port
EOF
done
dead_port=$(free_port)
cat >>"$TMP/ssh_config" <<EOF
Host h3
	HostName 127.0.0.4
	Port $dead_port
Host *
	User root
	IdentityFile $TMP/key
	IdentitiesOnly yes
	StrictHostKeyChecking no
	UserKnownHostsFile /dev/null
	LogLevel ERROR
	BatchMode yes
	ConnectTimeout 5
EOF
export PARALLEL_SSH="ssh -F $TMP/ssh_config"
up=0
for _ in $(seq 100); do
	ssh -F "$TMP/ssh_config" h1 true 2>/dev/null && ssh -F "$TMP/ssh_config" h2 true 2>/dev/null &&
		up=1 && break
	sleep 0.1
done
check "two sshd answer on 127.0.0.2 and 127.0.0.3 with the test's key" test "$up" = 1
[ "$up" = 1 ] || exit 0

# the reference: the same spec on one host
tok=$$-$RANDOM
cp "$ROOT/tests/fixtures/hosts.spec" "$TMP/hosts-$tok.spec"
"$CM" sweep "$TMP/hosts-$tok.spec" -o "$TMP/one" >/dev/null 2>"$TMP/one.err"
check "the sweep on one host" test -s "$TMP/one/cells.csv"

# cells.csv as "cell checksum ok" lines, sorted
cell_sums() { awk -F, 'NR==1{for(i=1;i<=NF;i++){if($i=="cell")a=i;if($i=="checksum")b=i;if($i=="ok")c=i};next}{print $a, $b, $c}' "$1" | sort; }

# two hosts and one that does not answer
printf 'h1\nh2\n# a host that is down\nh3\n' >"$TMP/hosts"
s0=$(date +%s)
"$ROOT/tools/hosts.sh" "$TMP/hosts" "$TMP/hosts-$tok.spec" -o "$TMP/two" >"$TMP/two.out" 2>"$TMP/two.err"
rc=$?
s1=$(date +%s)
sed 's/^/# /' "$TMP/two.err" | grep -v '^# \[' | head -30
check "the two-host sweep exits 0 (exit $rc, $((s1 - s0)) s)" test "$rc" = 0
check "the unreachable host is named in one line" test "$(grep -c 'hosts: h3: unreachable' "$TMP/two.err")" = 1
check "both shards ran, one on each host" \
	test "$(awk -F'\t' 'NR>1{print $2}' "$TMP/two/joblog" | sed 's,^1/,,' | sort | tr '\n' ' ')" = "h1 h2 "
check "the merged set has the one-host set's cells, each once, with the same checksums" \
	diff <(cell_sums "$TMP/one/cells.csv") <(cell_sums "$TMP/two/merged/cells.csv")
check "no cell twice in the merged set" \
	test -z "$(cell_sums "$TMP/two/merged/cells.csv" | awk '{print $1}' | uniq -d)"
"$CM" plots "$TMP/one" --scripts "$ROOT/plots/data" >/dev/null 2>&1
charts() { (cd "$1" && ls -- *.png 2>/dev/null | tr '\n' ' '); }
check "the merged set's charts are drawn, the same as one host's ($(charts "$TMP/one"))" \
	test -n "$(charts "$TMP/one")" -a "$(charts "$TMP/one")" = "$(charts "$TMP/two/merged")"
check "REPORT.md names both hosts" grep -q 'via h1.*via h2\|via h2.*via h1' "$TMP/two/merged/REPORT.md"
check "--cleanup left no working directory on the hosts" \
	test -z "$(grep -rl "hosts-$tok" "$HOME"/.parallel/tmp 2>/dev/null)"

# a host whose sweep dies mid-way: its cells are marked for --resume
sed -e 's/io_latency: 100ms/io_latency: 700ms/' -e 's/timer=100ms/timer=700ms/' \
	"$TMP/hosts-$tok.spec" >"$TMP/slow-$tok.spec"
"$CM" sweep "$TMP/slow-$tok.spec" -o "$TMP/slow-one" >/dev/null 2>&1
printf 'h1\nh2\n' >"$TMP/hosts2"
"$ROOT/tools/hosts.sh" "$TMP/hosts2" "$TMP/slow-$tok.spec" -o "$TMP/fail" >/dev/null 2>"$TMP/fail.err" &
hpid=$!
killed=""
until_s=$(($(date +%s) + 120))
while [ "$(date +%s)" -lt "$until_s" ] && kill -0 "$hpid" 2>/dev/null; do
	for f in "$HOME"/.parallel/tmp/*/shard-2/results.csv; do
		[ -f "$f" ] && grep -q "slow-$tok" "$(dirname "$f")/meta.json" 2>/dev/null &&
			[ "$(wc -l <"$f")" -ge 2 ] || continue
		for p in $(pgrep -f "sweep sweeps/slow-$tok.spec --shard 2/2"); do
			kill -9 "$p" && killed=$p
		done
	done
	[ -n "$killed" ] && break
	sleep 0.05
done
wait "$hpid"
frc=$?
sed 's/^/# /' "$TMP/fail.err" | grep -v '^# \[' | grep -e 'hosts:' -e 'merge:' | head
check "shard 2's sweep killed mid-way on its host (pid ${killed:-none}): exit 1" test -n "$killed" -a "$frc" = 1
check "its shard and host are named as failed" grep -q 'shard 2/2 on h[12] failed' "$TMP/fail.err"
check "merge marks the missing cells for --resume" grep -q 'marked for --resume' "$TMP/fail.err"
"$CM" sweep "$TMP/slow-$tok.spec" -o "$TMP/fail/merged" --resume >/dev/null 2>"$TMP/resume.err"
check "--resume finishes them: the set equals one host's" \
	diff <(cell_sums "$TMP/slow-one/cells.csv") <(cell_sums "$TMP/fail/merged/cells.csv")

# the latency server on the second host, the client here
sport=$(free_port)
ssh -F "$TMP/ssh_config" h2 "exec $CM serve --bind 127.0.0.3 --port $sport" >"$TMP/serve.out" 2>&1 &
SERVE_SSH=$!
for _ in $(seq 100); do grep -q listening "$TMP/serve.out" && break; sleep 0.05; done
"$CM" run --model eventloop --workload io --target "http://127.0.0.3:$sport/" --tasks 40 \
	--concurrency 10 --io-latency 5ms --format csv >"$TMP/remote.csv" 2>"$TMP/remote.err"
check "a run against a server on the second host: 40 tasks, 0 errors" \
	test "$(csv_field "$TMP/remote.csv" completed)" = 40 -a "$(csv_field "$TMP/remote.csv" errors)" = 0
for p in $(pgrep -f "serve --bind 127.0.0.3 --port $sport"); do kill "$p"; done
wait "$SERVE_SSH" 2>/dev/null
SERVE_SSH=""

# bad input
"$ROOT/tools/hosts.sh" "$TMP/no-such-file" "$TMP/hosts-$tok.spec" 2>"$TMP/bad.err"
check "a hosts file that is not there: exit 2, one line" test $? = 2 -a "$(wc -l <"$TMP/bad.err")" = 1

# nothing left behind
for p in $SSHD_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
SSHD_PIDS=""
left=$(pgrep -af "$TMP/sshd|hosts-$tok|slow-$tok|port $sport|$TMP/.*cmbench")
check "no sshd and no cmbench of the test left${left:+ ($left)}" test -z "$left"
echo "# hosts.sh took $(($(date +%s) - t0)) s"
