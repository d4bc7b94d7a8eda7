# Postern container image: builds service/target/postern.jar with the Maven wrapper on a JDK,
# unpacks it into Spring Boot's layers (dependencies change least, the application most) and runs
# it on a JRE as a non-root user with a fixed uid. SMTP listens on 2525 (a non-root process cannot
# bind 25; the Helm chart's Service maps 25 to it), actuator and metrics on 8080.
#
# Build from the repository root:  docker build -t postern:0.1.0 .
# Only the classic builder's features are used (no RUN --mount, no heredocs), so that
# Testcontainers' ImageFromDockerfile, which builds through the Docker API, builds it as well.

# ---- build -------------------------------------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /build

# Wrapper and POMs first: the dependency download stays cached until a POM changes.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY service/pom.xml service/
# Warm-up only: go-offline misses a few plugin-time artifacts, which the package step fetches.
RUN ./mvnw -B -ntp -q -pl service -am dependency:go-offline || true

COPY service/src/ service/src/
RUN ./mvnw -B -ntp -pl service -am -DskipTests package

# Unpack the executable jar into its layers plus the launcher (Spring Boot 3.3+ "tools" jar mode).
WORKDIR /build/service/target
RUN java -Djarmode=tools -jar postern.jar extract --layers --launcher --destination extracted

# ---- runtime -----------------------------------------------------------------------------
FROM eclipse-temurin:25-jre
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="postern" \
      org.opencontainers.image.description="Outbound SMTP relay with sendmail semantics" \
      org.opencontainers.image.version="${VERSION}"

# A fixed uid and gid (10001), so Kubernetes can check runAsNonRoot and fsGroup can own the spool.
# The container's defaults go in ./config/application.yaml, which Spring Boot reads from the
# working directory: unlike environment variables, a file ranks below every file an operator
# mounts with spring.config.additional-location (the Helm chart's ConfigMap), so the chart can
# replace the listener list whole, for example to add an MSA on 587.
RUN groupadd --gid 10001 postern \
 && useradd --uid 10001 --gid postern --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin postern \
 && mkdir -p /var/spool/postern /opt/postern/config \
 && chown postern:postern /var/spool/postern \
 && chmod 0750 /var/spool/postern \
 && printf '%s\n' \
      '# Container defaults: SMTP on all IPv4 addresses, the spool on the volume.' \
      'postern:' \
      '  daemon-ports:' \
      '    - { name: MTA, addr: 0.0.0.0, port: 2525, family: inet }' \
      '  spool:' \
      '    directory: /var/spool/postern' \
      'server:' \
      '  address: 0.0.0.0' \
      '  port: 8080' \
      > /opt/postern/config/application.yaml

WORKDIR /opt/postern
# Least to most frequently changed, one image layer each.
COPY --from=build /build/service/target/extracted/dependencies/ ./
COPY --from=build /build/service/target/extracted/spring-boot-loader/ ./
COPY --from=build /build/service/target/extracted/snapshot-dependencies/ ./
COPY --from=build /build/service/target/extracted/application/ ./

# Sized for a 256 MiB container, where the JVM's own memory (metaspace, code, stacks, malloc) takes
# about 130 MiB: heap 37.5% of the memory limit (96 MiB there; Min= and Max= both, or the JVM
# would floor a small container's heap at 126 MiB), the Serial collector (least native overhead),
# C1 only (C2's code and compiler arenas cost ~45 MiB for no measured throughput gain at this
# size), capped metaspace, code cache and direct memory, and malloc trimmed; why each, with
# measurements: docs/performance.md, "JVM options". An out-of-memory error ends the process, so
# Kubernetes restarts it instead of it limping on: the spool keeps every accepted message.
# JDK_JAVA_OPTIONS applies to the java launcher only, not to jcmd or jstack in the container.
ENV MALLOC_ARENA_MAX=2 \
    JDK_JAVA_OPTIONS="-XX:+UseSerialGC -XX:MinRAMPercentage=37.5 -XX:MaxRAMPercentage=37.5 -XX:InitialRAMPercentage=10 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m -Xss512k -XX:MaxDirectMemorySize=32m -XX:TrimNativeHeapInterval=2000 -XX:+ExitOnOutOfMemoryError"

VOLUME ["/var/spool/postern"]
EXPOSE 2525 8080

USER 10001:10001
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
