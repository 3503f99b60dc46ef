# syntax=docker/dockerfile:1
#
# Ferry as a container image: built with the Maven Wrapper, run as the layered jar by a
# non-root user. The build downloads Maven and the dependencies, so it needs network access
# to the Maven repository.
#
#   docker build -t ferry .
#   docker run -p 8080:8080 -v ferry-data:/app/data ferry
#
# Demo mode is on by default, as with ./mvnw spring-boot:run: the demo users' password is
# printed once in the container log. For real use:
#   docker run -p 8080:8080 -v ferry-data:/app/data \
#     -e FERRY_DEMO_ENABLED=false -e FERRY_ADMIN_PASSWORD='at-least-12-characters' ferry
# and see README.md for the PostgreSQL store (SPRING_PROFILES_ACTIVE=postgres, FERRY_DB_*).
# JVM options go in JAVA_TOOL_OPTIONS (for example -e JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75).

# ---- build ----------------------------------------------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build

COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
COPY frontend frontend

# The cache mount keeps the wrapper's Maven and the local repository between builds.
# -DskipTests: the tests run in CI (./mvnw verify); DockerfileIT there checks these stages against the jar.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw \
    && ./mvnw -B -DskipTests package \
    && java -Djarmode=tools -jar target/ferry-[0-9]*.jar extract --layers --launcher --destination extracted

# ---- run ------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre

# curl, for the health check below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 ferry \
    && useradd --system --uid 10001 --gid ferry --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin ferry

WORKDIR /app

# Least to most often changed, so a code change only replaces the last layer.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# Spring Boot reads ./config/application.yml from the working directory, as in the project folder.
COPY config/ /app/config/

# ferry.data-dir defaults to ./data, i.e. /app/data: the H2 store lives there. Created and
# owned by ferry before VOLUME so a new volume starts out writable for the non-root user.
RUN mkdir -p /app/data && chown ferry:ferry /app/data
VOLUME /app/data

USER ferry
EXPOSE 8080

# Readiness: public, 503 until the start-up work (accounts, the demo workspace, the plan files
# of config/plans, secret rotation) has finished, then {"status":"UP"}; see docs/operations.md.
# Change the port here too if you change server.port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1

ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
