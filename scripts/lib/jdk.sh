# Sourced by ./weft and scripts/*: find_jdk prints the home of a JDK 25 (or newer).
# Order: $JAVA_HOME if it is 25+, then /usr/lib/jvm (exactly 25 first, else the newest above).
# Needs a die() function in the caller.

# The major version of the JDK at $1, or nothing if it is not a JDK.
jdk_major() {
  local rel="$1/release" v
  [[ -x "$1/bin/java" && -x "$1/bin/javac" && -f "$rel" ]] || return 0
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
  echo "$v"
}

find_jdk() {
  local v
  if [[ -n "${JAVA_HOME:-}" ]]; then
    v=$(jdk_major "$JAVA_HOME")
    if [[ -n "$v" && "$v" -ge 25 ]]; then echo "$JAVA_HOME"; return; fi
  fi
  local best="" bestv=0 d
  for d in /usr/lib/jvm/*; do
    [[ -d "$d" && ! -L "$d" ]] || continue
    v=$(jdk_major "$d")
    # Prefer exactly 25 (what the project is tested on), then the newest above it.
    if [[ -n "$v" && "$v" -ge 25 ]]; then
      if [[ "$v" -eq 25 ]]; then echo "$d"; return; fi
      if [[ "$v" -gt "$bestv" ]]; then best="$d"; bestv="$v"; fi
    fi
  done
  [[ -n "$best" ]] && { echo "$best"; return; }
  die "no JDK 25 found (set JAVA_HOME, or install Temurin 25 under /usr/lib/jvm)"
}

