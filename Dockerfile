# syntax=docker/dockerfile:1
#
# One image per application, chosen with the MODULE build argument:
#   docker build --build-arg MODULE=api    -t retouch-api .
#   docker build --build-arg MODULE=worker -t retouch-worker .
# docker-compose.yml builds both. Arguments after the image name go to the application, e.g.
#   docker run --rm retouch-api bootstrap --org Acme --dataset photos

# ---- build ------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-25 AS build
ARG MODULE
RUN case "${MODULE}" in api|worker) ;; *) echo "MODULE must be api or worker, not '${MODULE}'" >&2; exit 1;; esac
WORKDIR /src
COPY . .
# The Maven repository is a cache mount: dependencies survive rebuilds without entering a layer.
# Tests need Postgres and RabbitMQ and run in CI, not here; formatting is checked there too.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Dspotless.check.skip package -pl "${MODULE}" -am

# ---- runtime ----------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre
ARG MODULE
LABEL org.opencontainers.image.title="retouch-${MODULE}" \
      org.opencontainers.image.description="Retouch ${MODULE}: asynchronous image edits"
RUN groupadd --system retouch \
 && useradd --system --gid retouch --no-create-home --home-dir /app --shell /usr/sbin/nologin retouch
WORKDIR /app
COPY --from=build /src/${MODULE}/target/retouch-${MODULE}.jar /app/app.jar
USER retouch
# Exec form: java is PID 1 and gets SIGTERM itself (graceful shutdown), and `docker run IMAGE args`
# / compose `command:` are appended as application arguments (`bootstrap --org … --dataset …`).
# Half the container's memory limit as heap: the rest is the JVM's own (metaspace, code, GC, threads:
# about 250 MB for the worker, measured with native memory tracking), so 75% of a 512 MiB limit
# could be killed once the heap fills. Override with JDK_JAVA_OPTIONS for large containers.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/app.jar"]
