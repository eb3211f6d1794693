# Shared by up and down (sourced): where things are, and how a process of the example is started, found and
# stopped. Every process runs in its own session (setsid), its pid in run/pids/NAME.pid, its output in
# run/logs/NAME.log.

FLEET_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FLEET_ROOT="$(cd "$FLEET_HOME/../.." && pwd)"
FLEET_RUN="$FLEET_HOME/run"
FLAGMAN="$FLEET_ROOT/bin/flagman"

# The workers: name, channel, port variable, API port variable.
FLEET_NODES=(staging-1 prod-1 prod-2)
declare -A NODE_CHANNEL=([staging-1]=staging [prod-1]=production [prod-2]=production)
declare -A NODE_PORT_VAR=([staging-1]=FLEET_STAGING_PORT [prod-1]=FLEET_PROD1_PORT [prod-2]=FLEET_PROD2_PORT)
declare -A NODE_API_VAR=([staging-1]=FLEET_STAGING_API [prod-1]=FLEET_PROD1_API [prod-2]=FLEET_PROD2_API)
# Every process, in start order; down stops the front, then the workers, then the rest.
FLEET_PROCESSES=(etcd broad narrow staging-1 prod-1 prod-2 front)

say() { echo "fleet: $*"; }
die() { echo "fleet: $*" >&2; exit 1; }

pid_file() { echo "$FLEET_RUN/pids/$1.pid"; }

# pid_of NAME: the pid of the example's process NAME if it runs (and is ours: its command line names this
# directory, so a recycled pid is never taken for it), else nothing and status 1.
pid_of() {
  local file pid
  file="$(pid_file "$1")"
  [[ -s "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && running "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$FLEET_HOME/" || return 1
  echo "$pid"
}

# start NAME COMMAND...: runs COMMAND in the background in its own session; the pid it gets is written by the
# process itself before it execs COMMAND, so the file always names the real process.
start() {
  local name=$1; shift
  rm -f "$(pid_file "$name")"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$(pid_file "$name")" "$@" \
    >"$FLEET_RUN/logs/$name.log" 2>&1 </dev/null &
}

# await SECONDS WHAT NAME COMMAND...: retries COMMAND until it succeeds; fails, showing the end of NAME's log,
# when NAME's process has ended or the deadline passes.
await() {
  local limit=$1 what=$2 name=$3; shift 3
  local deadline=$((SECONDS + limit)) why
  until "$@" >/dev/null 2>&1; do
    why=""
    [[ -s "$(pid_file "$name")" ]] && ! pid_of "$name" >/dev/null && why="$name stopped"
    ((SECONDS > deadline)) && why="not within ${limit}s"
    if [[ -n "$why" ]]; then
      echo "fleet: waiting for $what: $why; the end of run/logs/$name.log:" >&2
      tail -n 30 "$FLEET_RUN/logs/$name.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# running PID: the process exists and has not ended (an ended process waiting to be reaped is a zombie, Z).
running() { [[ -r "/proc/$1/stat" && "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]]; }

# stop NAME...: SIGTERM to each (Flagman stops softly), then waits; SIGKILL for any still there after 15 s.
stop() {
  local name pid deadline
  local -A pids=()
  for name in "$@"; do
    if pid="$(pid_of "$name")"; then
      pids[$name]=$pid
      kill -TERM "$pid" 2>/dev/null || true
    fi
    rm -f "$(pid_file "$name")"
  done
  deadline=$((SECONDS + 15))
  for name in "${!pids[@]}"; do
    while running "${pids[$name]}" && ((SECONDS < deadline)); do sleep 0.05; done
    if running "${pids[$name]}"; then
      say "$name (pid ${pids[$name]}) did not stop within 15 s: SIGKILL"
      kill -KILL "${pids[$name]}" 2>/dev/null || true
    fi
    say "stopped $name"
  done
}

# port_in_use PORT: something accepts connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
