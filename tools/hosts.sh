#!/bin/bash
# hosts.sh HOSTSFILE [SPEC] [-o OUT] - a sweep spread over several hosts
# with GNU parallel, then merged and plotted here (`make bench HOSTS=FILE`).
#
# HOSTSFILE is a GNU parallel --sshloginfile: one sshlogin a line (host,
# user@host, or "ssh -p 2222 user@host"), # for comments. Each host needs
# what `make bench` installs (Debian packages: libuv, jansson, hyperfine,
# rsync, ...); cmbench itself travels: the binary, the spec and the Python
# models go over as one bundle (--transferfile) into a working directory of
# their own (--workdir ...), each host runs one shard (--shard i/n), the
# shard comes back (--return) and everything is removed there (--cleanup).
# $PARALLEL_SSH is the ssh command (default: ssh with BatchMode and a 10 s
# connect timeout).
#
# A host that does not answer is named in one line and left out; the others
# share the shards. A host that fails mid-sweep leaves its cells out of the
# merged set, marked for --resume (the line that finishes them is printed).
# Exit: 0 all done, 1 some shard or cell failed, 2 bad input.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CMBENCH=$ROOT/cmbench

die() { echo "hosts: $*" >&2; exit 2; }

[ $# -ge 1 ] || die "usage: tools/hosts.sh HOSTSFILE [SPEC] [-o OUT]"
hosts_file=$1
shift
spec=default
out=""
while [ $# -gt 0 ]; do
	case "$1" in
	-o) [ $# -ge 2 ] || die "-o needs a directory"; out=$2; shift 2 ;;
	-*) die "unknown flag '$1'" ;;
	*) spec=$1; shift ;;
	esac
done
[ -r "$hosts_file" ] || die "$hosts_file: cannot read the hosts file"
[ -x "$CMBENCH" ] || die "$CMBENCH: not built (make cmbench)"
command -v parallel >/dev/null || die "GNU parallel not found (apt-get install parallel)"
command -v rsync >/dev/null || die "rsync not found (apt-get install rsync): parallel moves files with it"
if [ -f "$spec" ]; then
	spec_path=$spec
elif [ -f "$ROOT/sweeps/$spec" ]; then
	spec_path=$ROOT/sweeps/$spec
else
	die "$spec: no such spec file, nor sweeps/$spec"
fi
export PARALLEL_SSH=${PARALLEL_SSH:-ssh -o BatchMode=yes -o ConnectTimeout=10}

# the hosts that answer; one line for each that does not
mapfile -t lines < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$hosts_file")
[ ${#lines[@]} -gt 0 ] || die "$hosts_file: no hosts in it"
up=()
for h in "${lines[@]}"; do
	# an sshlogin is [ncpus/][sshcommand [options]] [user@]host
	login=${h#*[0-9]/}
	[ "$login" = "$h" ] && login=$h
	if [ "${login// /}" != "$login" ]; then
		read -r -a cmd <<<"$login"
	else
		read -r -a cmd <<<"$PARALLEL_SSH $login"
	fi
	if why=$(timeout 30 "${cmd[@]}" true 2>&1 </dev/null); then
		# one job at a time on each: no need to ask the host for its cores
		case "$h" in [0-9]*/*) up+=("$h") ;; *) up+=("1/$h") ;; esac
	else
		echo "hosts: $h: unreachable, left out ($(echo "$why" | grep -v '^$' | tail -1 | cut -c1-160))" >&2
	fi
done
n=${#up[@]}
[ "$n" -gt 0 ] || { echo "hosts: no host of $hosts_file answered" >&2; exit 1; }

spec_base=$(basename "$spec_path")
if [ -z "$out" ]; then
	out=results/$(date -u +%Y%m%d-%H%M%S)-$spec_base-hosts
fi
case "$out" in *[\'\"\`\$\\]*) die "-o: no quotes, backquotes, backslashes or \$ please" ;; esac
mkdir -p "$out" || die "$out: cannot make it"
out=$(cd "$out" && pwd)
[ -e "$out/merged/results.csv" ] && die "$out already holds a merged set"
printf '%s\n' "${up[@]}" >"$out/sshlogins"

# the bundle: the binary, the spec, the foreign models' programs
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/sweeps" "$stage/models"
cp "$CMBENCH" "$stage/cmbench" && cp "$spec_path" "$stage/sweeps/$spec_base" || die "cannot stage the bundle"
[ -d "$ROOT/models/python" ] && cp -r "$ROOT/models/python" "$stage/models/"
tar czf "$out/cmbench-bundle.tgz" -C "$stage" . || die "cannot write $out/cmbench-bundle.tgz"

echo "hosts: $spec_base over $n host(s): ${up[*]#1/}; shards into $out" >&2
start=$(date +%s)
cd "$out" || exit 2
rm -f joblog
parallel -j1 --sshloginfile sshlogins --workdir ... --transferfile cmbench-bundle.tgz \
	--return 'shard-{}' --cleanup --joblog joblog --line-buffer --tagstring 'shard {}/'"$n" \
	'tar xzf cmbench-bundle.tgz && ./cmbench sweep sweeps/'"$spec_base"' --shard {}/'"$n"' -o shard-{}' \
	::: $(seq "$n")
rc=0
# joblog: Seq Host Starttime JobRuntime Send Receive Exitval Signal Command
while IFS=$'\t' read -r seq host _ _ _ _ exitval sig _; do
	[ "$seq" = Seq ] && continue
	if [ "$sig" != 0 ] || { [ "$exitval" != 0 ] && [ "$exitval" != 1 ]; }; then
		echo "hosts: shard $seq/$n on $host failed (exit $exitval, signal $sig); its cells are marked for --resume" >&2
		rc=1
	elif [ "$exitval" = 1 ]; then
		echo "hosts: shard $seq/$n on $host: some cells failed (see its cells.csv)" >&2
		rc=1
	fi
done <joblog
shards=()
for i in $(seq "$n"); do
	[ -s "shard-$i/meta.json" ] && shards+=("shard-$i")
done
[ ${#shards[@]} -gt 0 ] || { echo "hosts: no shard came back; nothing to merge" >&2; exit 1; }
"$CMBENCH" merge merged "${shards[@]}"
mrc=$?
[ "$mrc" -eq 2 ] && exit 2
[ "$mrc" -ne 0 ] && rc=1
"$CMBENCH" plots merged --scripts "$ROOT/plots/data" || rc=1
secs=$(($(date +%s) - start))
echo "hosts: done in $((secs / 60))m$((secs % 60))s; merged set: $out/merged (REPORT.md names the hosts)" >&2
exit $rc
