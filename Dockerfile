# syntax=docker/dockerfile:1
# Postern container image: builds service/target/postern.jar with the Maven wrapper, unpacks it
# into Spring Boot layers (dependencies change least, the application most) and runs it as a
# non-root user. The SMTP listener is on 2525, actuator and metrics on 8080.

# ---- build -------------------------------------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /build

# Wrapper and POMs first, so the dependency download is cached until a POM changes.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY service/pom.xml service/
# Warm-up only: go-offline misses a few plugin-time artifacts, which the package step fetches.
RUN ./mvnw -B -ntp -q dependency:go-offline -pl service -am || true

COPY service/src/ service/src/
RUN ./mvnw -B -ntp -DskipTests package

# Unpack the executable jar into its layers plus the launcher.
WORKDIR /build/service/target
RUN java -Djarmode=tools -jar postern.jar extract --layers --launcher --destination extracted

# ---- runtime -----------------------------------------------------------------------------
FROM eclipse-temurin:25-jre
LABEL org.opencontainers.image.title="postern" \
      org.opencontainers.image.description="Outbound SMTP relay with sendmail semantics"

RUN groupadd --gid 10001 postern \
 && useradd --uid 10001 --gid postern --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin postern \
 && mkdir -p /var/spool/postern \
 && chown postern:postern /var/spool/postern \
 && chmod 0750 /var/spool/postern

WORKDIR /opt/postern
# Least to most frequently changed, one image layer each.
COPY --from=build /build/service/target/extracted/dependencies/ ./
COPY --from=build /build/service/target/extracted/spring-boot-loader/ ./
COPY --from=build /build/service/target/extracted/snapshot-dependencies/ ./
COPY --from=build /build/service/target/extracted/application/ ./

# An indexed variable replaces the whole postern.daemon-ports list, so name and port are set too
# (a listener's own default port is 25, which a non-root user cannot bind).
ENV POSTERN_SPOOL_DIRECTORY=/var/spool/postern \
    POSTERN_DAEMONPORTS_0_NAME=MTA \
    POSTERN_DAEMONPORTS_0_ADDR=0.0.0.0 \
    POSTERN_DAEMONPORTS_0_PORT=2525 \
    SERVER_ADDRESS=0.0.0.0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"

VOLUME /var/spool/postern
EXPOSE 2525 8080

# Numeric, so Kubernetes can check runAsNonRoot; the primary group (10001) comes from /etc/passwd.
USER 10001
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
