# shellcheck shell=bash
# Shared by scripts/test and .ci/run: pick a JDK 21+ and make sure the local PostgreSQL and
# RabbitMQ the tests use answer, starting them when they are installed here but stopped.

say() { printf '%s: %s\n' "${SCRIPT_NAME:-retouch}" "$*" >&2; }

# Sets JAVA_HOME to a JDK 21+: the one given if it qualifies, else Temurin 25 under /usr/lib/jvm.
select_jdk() {
  if [[ -n ${JAVA_HOME:-} && -x ${JAVA_HOME}/bin/java ]] \
    && "${JAVA_HOME}/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    :
  else
    JAVA_HOME=$(find /usr/lib/jvm -maxdepth 1 -name "temurin-25-jdk*" 2>/dev/null | sort | head -n1)
  fi
  if [[ -z ${JAVA_HOME} ]]; then
    say "no JDK 21+ found (looked for /usr/lib/jvm/temurin-25-jdk*); set JAVA_HOME"
    return 1
  fi
  export JAVA_HOME PATH="${JAVA_HOME}/bin:${PATH}"
  say "using $("${JAVA_HOME}/bin/java" -version 2>&1 | head -n1) from ${JAVA_HOME}"
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  local name=$1 port=$2
  for _ in $(seq 1 60); do
    if port_answers "$port"; then
      say "${name} answers on 127.0.0.1:${port}"
      return 0
    fi
    sleep 1
  done
  say "${name} does not answer on 127.0.0.1:${port}"
  return 1
}

# The integration tests need a real PostgreSQL and RabbitMQ: RETOUCH_TEST_*_URL when given,
# else the local servers, started here when they are installed but not running.
ensure_test_services() {
  if [[ -z ${RETOUCH_TEST_POSTGRES_URL:-} ]] && ! port_answers 5432; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf "%f\n" | sort | head -n1)" main start
    wait_for_port PostgreSQL 5432
  fi
  if [[ -z ${RETOUCH_TEST_RABBITMQ_URL:-} ]] && ! port_answers 5672; then
    say "starting RabbitMQ"
    rabbitmq-server -detached
    wait_for_port RabbitMQ 5672
  fi
}
