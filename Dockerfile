# syntax=docker/dockerfile:1
# Three stages: build the jar; lay it out in layers with only this platform's natives; run it on a
# JRE as a non-root user in the prod profile, started from a CDS archive made at build time.
#   docker build -t infercache .
#   docker buildx build --platform linux/amd64,linux/arm64 -t <registry>/infercache:0.1.0 --push .
#   docker run -p 8080:8080 -e INFERCACHE_ADMIN_TOKEN=change-me -v infercache-data:/data infercache
# scripts/bench-startup.sh runs the same layout and the same two java commands (the CDS training
# run and the ENTRYPOINT) outside Docker; keep each of them on one line.

# The jar does not depend on the platform: built once, on the builder's own platform.
FROM --platform=$BUILDPLATFORM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -DskipTests package && cp target/infercache-*.jar /infercache.jar

# The jar's layers (src/layers.xml), each later copied as one image layer, keeping only the ONNX
# Runtime and tokenizer natives of the target platform (TARGETARCH: amd64 or arm64).
FROM --platform=$BUILDPLATFORM eclipse-temurin:17-jdk AS layers
ARG TARGETARCH
WORKDIR /layers
COPY scripts/image-layers.sh scripts/StripNatives.java /tools/
COPY --from=build /infercache.jar /infercache.jar
RUN /tools/image-layers.sh /infercache.jar /layers/extracted "${TARGETARCH:-amd64}"

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 infercache \
	&& useradd --system --uid 10001 --gid infercache --home-dir /app --shell /usr/sbin/nologin infercache \
	&& mkdir -p /app/.djl.ai /data \
	&& chown -R infercache:infercache /app /data
WORKDIR /app
# Least often changed first: a code change re-ships only the last layer.
COPY --from=layers --chown=infercache:infercache /layers/extracted/dependencies/ ./
COPY --from=layers --chown=infercache:infercache /layers/extracted/spring-boot-loader/ ./
COPY --from=layers --chown=infercache:infercache /layers/extracted/model/ ./
COPY --from=layers --chown=infercache:infercache /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers --chown=infercache:infercache /layers/extracted/application/ ./
USER 10001:10001
# prod: refuses to start without INFERCACHE_ADMIN_TOKEN; jobs in the H2 file under /data.
# DJL's tokenizer unpacks its native library into DJL_CACHE_DIR, which must be writable.
ENV SPRING_PROFILES_ACTIVE=prod \
	DJL_CACHE_DIR=/app/.djl.ai \
	OPT_OUT_TRACKING=true \
	JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# CDS training run (Spring Boot's "Class Data Sharing" how-to): start the application until its
# context is refreshed, then exit and archive every class it loaded. The token and the data
# directory exist for this run only.
RUN java -XX:ArchiveClassesAtExit=infercache.jsa -Dspring.context.exit=onRefresh -jar infercache.jar --infercache.admin.token=cds-training-run --infercache.data-dir=/tmp/cds-training && rm -rf /tmp/cds-training
VOLUME /data
EXPOSE 8080
# The JRE image has no curl; bash's /dev/tcp reads the readiness probe (200 for UP and DEGRADED).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:SharedArchiveFile=infercache.jsa", "-jar", "infercache.jar"]
