#!/usr/bin/env bash
# Makes sure the Debian packages the test suite needs are installed.
# First step of `npm test`; also called by .ci/run (with --with-build-tools).
#
# Silent and quick when everything is there. Otherwise, as root it runs
# `apt-get update` and installs what is missing; as any other user it prints one
# line with the command to run and exits 1.
#
# Usage: bash scripts/ensure-system-deps.sh [--with-build-tools]
#   --with-build-tools  also require python3, make and g++ (node-gyp, for
#                       building better-sqlite3 from source during npm ci)
set -euo pipefail

with_build_tools=0
for arg in "$@"; do
  case "$arg" in
    --with-build-tools) with_build_tools=1 ;;
    -h | --help)
      sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "ensure-system-deps: unknown argument: $arg" >&2
      exit 2
      ;;
  esac
done

# ---------------------------------------------------------------------------
# Checks. Each returns 0 when the package is present or not needed.

# have_bin PATH...: one of the given executables exists.
have_bin() {
  local p
  for p in "$@"; do
    [[ -x "$p" ]] && return 0
  done
  return 1
}

# have_cmd NAME: NAME is on PATH.
have_cmd() { command -v "$1" >/dev/null 2>&1; }

# have_dpkg PKG: the Debian package is installed.
have_dpkg() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

# pg_answers HOST PORT: a PostgreSQL server answers there within 2s (it
# replies 'S' or 'N' to an SSLRequest; a bare TCP accept is not enough).
pg_answers() {
  local host=$1 port=$2
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "\x00\x00\x00\x08\x04\xd2\x16\x2f" >&3
    IFS= read -r -n 1 reply <&3 || exit 1
    [[ "$reply" == S || "$reply" == N ]]
  ' "$host" "$port" 2>/dev/null
}

# postgres_available: the tests can get a PostgreSQL server — one answers at
# the test URL (PARLEY_TEST_DATABASE_URL, else 127.0.0.1:5432), or a Debian
# PostgreSQL install exists for packages/testkit to start a throwaway cluster.
postgres_available() {
  local f
  for f in /usr/lib/postgresql/*/bin/initdb; do
    [[ -x "$f" ]] && return 0
  done

  local url=${PARLEY_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
  local rest=${url#*://}        # drop scheme
  local authority=${rest%%[/?]*} # up to path or query
  local hostport=${authority##*@} # drop user:password@
  local host port
  if [[ "$hostport" == \[*\]* ]]; then # [ipv6]:port
    host=${hostport%%]*}
    host=${host#[}
    port=${hostport##*]}
    port=${port#:}
  elif [[ "$hostport" == *:* ]]; then
    host=${hostport%%:*}
    port=${hostport##*:}
  else
    host=$hostport
    port=
  fi
  port=${port:-5432}
  if [[ -z "$host" ]]; then
    # unix socket URL: let pg_isready decide, if it is there
    have_cmd pg_isready && pg_isready -q -t 2 -d "$url" >/dev/null 2>&1 && return 0
    return 1
  fi
  pg_answers "$host" "$port"
}

# url_host_port URL DEFAULT_PORT: prints "host port" of a redis:// or nats:// URL.
url_host_port() {
  local rest=${1#*://}
  local authority=${rest%%[/?]*}
  local hostport=${authority##*@}
  local host=${hostport%%:*} port=
  [[ "$hostport" == *:* ]] && port=${hostport##*:}
  echo "${host:-127.0.0.1} ${port:-$2}"
}

# redis_answers HOST PORT: a Redis server replies +PONG to PING within 2s.
redis_answers() {
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r reply <&3 || exit 1
    [[ "$reply" == "+PONG"* ]]
  ' "$1" "$2" 2>/dev/null
}

# nats_answers HOST PORT: a NATS server with JetStream greets with an INFO line within 2s.
nats_answers() {
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    IFS= read -r reply <&3 || exit 1
    [[ "$reply" == INFO* && "$reply" == *\"jetstream\":true* ]]
  ' "$1" "$2" 2>/dev/null
}

# redis_available / nats_available: the bus tests can get a broker — the
# Debian package is installed (packages/testkit starts a throwaway server), or
# one answers at PARLEY_TEST_REDIS_URL / PARLEY_TEST_NATS_URL (else the
# default port on 127.0.0.1).
redis_available() {
  have_bin /usr/bin/redis-server && return 0
  # shellcheck disable=SC2046
  redis_answers $(url_host_port "${PARLEY_TEST_REDIS_URL:-redis://127.0.0.1:6379}" 6379)
}
nats_available() {
  have_bin /usr/sbin/nats-server /usr/bin/nats-server && return 0
  # shellcheck disable=SC2046
  nats_answers $(url_host_port "${PARLEY_TEST_NATS_URL:-nats://127.0.0.1:4222}" 4222)
}

# ---------------------------------------------------------------------------
# The list: one line per Debian package, `require <package> <check> [args]`.

missing=()
require() {
  local pkg=$1
  shift
  "$@" || missing+=("$pkg")
}

check_all() {
  missing=()
  require postgresql postgres_available
  # Cluster bus contract tests (Redis pub/sub and keys, NATS with JetStream).
  require redis-server redis_available
  require nats-server  nats_available
  # The XMPP STARTTLS tests make a self-signed certificate with the openssl CLI.
  require openssl   have_cmd openssl
  # Browser end-to-end suites (calls, conferencing, dashboard) drive Debian's Chromium.
  require chromium    have_bin /usr/bin/chromium
  # TURN relay for P2P calls (PARLEY_TURN=managed) and the relay-only call test.
  require coturn      have_bin /usr/bin/turnserver
  # Conferencing SFU and its recording post-processor (janus-pp-rec).
  require janus       have_bin /usr/bin/janus
  require janus-tools have_bin /usr/bin/janus-pp-rec
  # Recordings: ffmpeg joins audio and video, ffprobe reads durations.
  require ffmpeg      have_bin /usr/bin/ffprobe
  # The load balancer test runs deploy/haproxy/parley.cfg in front of two nodes.
  require haproxy     have_bin /usr/sbin/haproxy
  # Bench only (bench/xmpp.ts compares with these; tests never need them, the bench skips missing ones):
  #   apt-get install -y ejabberd erlang-p1-sqlite3 prosody lua-dbi-sqlite3

  if ((with_build_tools)); then
    require python3 have_cmd python3
    require make    have_cmd make
    require g++     have_cmd g++
  fi
}

# ---------------------------------------------------------------------------

check_all
((${#missing[@]} == 0)) && exit 0

if [[ "$(id -u)" != 0 ]]; then
  echo "missing Debian packages; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "ensure-system-deps: installing ${missing[*]}" >&2
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"

wanted=("${missing[@]}")
check_all
if ((${#missing[@]} > 0)); then
  echo "ensure-system-deps: still missing after installing ${wanted[*]}: ${missing[*]}" >&2
  exit 1
fi
