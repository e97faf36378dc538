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

# Whether Docker can run containers here (a docker binary alone is not enough).
docker_available() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# service_plan PORT STARTER — what to do about a local server: "ready" when it answers on PORT,
# "start" when it does not but STARTER (its start command) is installed, "testcontainers" when
# neither but Docker runs (the tests then start one themselves), "missing" otherwise.
service_plan() {
  if port_answers "$1"; then
    echo ready
  elif command -v "$2" >/dev/null 2>&1; then
    echo start
  elif docker_available; then
    echo testcontainers
  else
    echo missing
  fi
}

# The integration tests need a real PostgreSQL and RabbitMQ: RETOUCH_TEST_*_URL when given,
# else the local servers, started here when they are installed but not running, else
# Testcontainers when Docker runs; with none of these, one line says what to install.
ensure_test_services() {
  if [[ -z ${RETOUCH_TEST_POSTGRES_URL:-} ]]; then
    case $(service_plan 5432 pg_ctlcluster) in
      start)
        say "starting PostgreSQL"
        pg_ctlcluster --skip-systemctl-redirect "$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf "%f\n" | sort | head -n1)" main start
        wait_for_port PostgreSQL 5432
        ;;
      testcontainers) say "PostgreSQL does not answer on 127.0.0.1:5432: the tests start one with Testcontainers (Docker)" ;;
      missing)
        say "PostgreSQL does not answer on 127.0.0.1:5432 and cannot be started here: install PostgreSQL (Debian: apt install postgresql) or Docker, or set RETOUCH_TEST_POSTGRES_URL"
        return 1
        ;;
    esac
  fi
  if [[ -z ${RETOUCH_TEST_RABBITMQ_URL:-} ]]; then
    case $(service_plan 5672 rabbitmq-server) in
      start)
        say "starting RabbitMQ"
        rabbitmq-server -detached
        wait_for_port RabbitMQ 5672
        ;;
      testcontainers) say "RabbitMQ does not answer on 127.0.0.1:5672: the tests start one with Testcontainers (Docker)" ;;
      missing)
        say "RabbitMQ does not answer on 127.0.0.1:5672 and cannot be started here: install RabbitMQ (Debian: apt install rabbitmq-server) or Docker, or set RETOUCH_TEST_RABBITMQ_URL"
        return 1
        ;;
    esac
  fi
}
