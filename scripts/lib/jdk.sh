# shellcheck shell=bash
# What the scripts do in bash: find a JDK 21+, build the jars when they are missing, and run a
# command of the testkit jar (io.retouch.testkit.Launcher), which does everything else.

say() { printf '%s: %s\n' "${SCRIPT_NAME:-retouch}" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "${SCRIPT_NAME:-retouch}" "$*" >&2
  exit 1
}

RETOUCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

java_major() { # path to java → major version (8 for 1.8)
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  [[ $v == 1.* ]] && v=${v#1.}
  printf '%s' "${v%%[.+-]*}"
}

# Sets JAVA_HOME to a JDK 21+: the one given if it qualifies, else Temurin 25 under /usr/lib/jvm.
select_jdk() {
  local major fallback
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java && -x $JAVA_HOME/bin/javac ]]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [[ $major =~ ^[0-9]+$ ]] && ((major >= 21)); then
      export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
    say "JAVA_HOME=$JAVA_HOME is JDK ${major:-?}, Retouch needs 21 or newer: trying Temurin 25 under /usr/lib/jvm"
  fi
  fallback=$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | sort | head -n 1)
  [[ -n $fallback && -x $fallback/bin/javac ]] ||
    die "no JDK 21+ found: set JAVA_HOME to a JDK 21 or newer (built and tested on 25, e.g. /usr/lib/jvm/temurin-25-jdk-amd64)"
  export JAVA_HOME=$fallback PATH="$fallback/bin:$PATH"
}

# The launcher is in the testkit jar, so the jars are built (when missing) before it can run.
ensure_jars() {
  local jar
  for jar in api/target/retouch-api.jar worker/target/retouch-worker.jar \
    testkit/target/retouch-testkit.jar testkit/target/lib; do
    if [[ ! -e $RETOUCH_ROOT/$jar ]]; then
      say "building the jars ($jar is missing; ./mvnw -q -DskipTests -Dspotless.check.skip package, takes a few minutes)"
      (cd "$RETOUCH_ROOT" && ./mvnw -q -B -DskipTests -Dspotless.check.skip package) || die "the build failed"
      return 0
    fi
  done
}

# testkit COMMAND ARGS... — replaces this shell with the testkit jar's COMMAND.
testkit() {
  exec "$JAVA_HOME/bin/java" -Dretouch.repo="$RETOUCH_ROOT" \
    -jar "$RETOUCH_ROOT/testkit/target/retouch-testkit.jar" "$@"
}
