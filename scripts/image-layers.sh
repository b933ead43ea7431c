#!/usr/bin/env bash
# Lays out the packaged jar the way the container image runs it: Spring Boot's extracted layout
# (the application jar plus lib/), split into the jar's layers (src/layers.xml: dependencies,
# spring-boot-loader, model, snapshot-dependencies, application), with the native libraries of
# every other platform and the macOS debug symbols removed (scripts/StripNatives.java). The
# Dockerfile copies each layer directory into /app as one image layer; scripts/bench-startup.sh
# merges them into one directory the same way and runs the image's exact launch command on it.
#
# Usage: scripts/image-layers.sh JAR DESTINATION [amd64|arm64]   (default: this machine's architecture)
set -euo pipefail

JAR=$1
DEST=$2
ARCH=${3:-}
if [[ -z "$ARCH" ]]; then
	case "$(uname -m)" in
		x86_64 | amd64) ARCH=amd64 ;;
		aarch64 | arm64) ARCH=arm64 ;;
		*) echo "no ONNX Runtime natives for $(uname -m)" >&2; exit 1 ;;
	esac
fi
java -Djarmode=tools -jar "$JAR" extract --layers --destination "$DEST" --application-filename infercache.jar
java "$(dirname "$0")/StripNatives.java" "$DEST" "$ARCH"
