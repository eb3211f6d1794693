# Shared by bin/flagman and bin/test: locate a JDK 25+ (JAVA_HOME, then java on PATH, then /usr/lib/jvm).
java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

find_java() {
  local candidate v
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    v="$(java_major "$JAVA_HOME/bin/java")"
    if [[ -n "$v" && "$v" -ge 25 ]]; then echo "$JAVA_HOME"; return; fi
  fi
  if candidate="$(command -v java 2>/dev/null)"; then
    v="$(java_major "$candidate")"
    if [[ -n "$v" && "$v" -ge 25 ]]; then
      dirname "$(dirname "$(readlink -f "$candidate")")"; return
    fi
  fi
  local best="" best_v=0
  for dir in /usr/lib/jvm/*/; do
    [[ -x "$dir/bin/java" ]] || continue
    v="$(java_major "$dir/bin/java")"
    if [[ -n "$v" && "$v" -ge 25 && "$v" -gt "$best_v" ]]; then best="${dir%/}"; best_v="$v"; fi
  done
  if [[ -n "$best" ]]; then echo "$best"; return; fi
  echo "flagman: no JDK 25 or newer found (JAVA_HOME, java on PATH, /usr/lib/jvm); install one, e.g. Temurin 25, and retry" >&2
  exit 1
}

