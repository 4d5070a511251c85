#!/usr/bin/env bash
# GraalVM points-to analysis of target/native-sources (see NativeCheck.java); run by `./mvnw verify -Pnative-check`.
# Usage: native-check/run.sh GRAALVM_JAR_DIR NATIVE_SOURCES_DIR WORK_DIR [native-image options...]
# Needs a JDK 25: $JAVA_HOME_25, else the first /usr/lib/jvm/*25* whose release file says 25.
set -euo pipefail
for home in "${JAVA_HOME_25:-}" /usr/lib/jvm/*25*; do
  if [ -n "$home" ] && [ -x "$home/bin/java" ] && grep -qs '^JAVA_VERSION="25' "$home/release"; then
    exec "$home/bin/java" "$(dirname "$0")/NativeCheck.java" "$@"
  fi
done
echo "native-check: no JDK 25 found; set JAVA_HOME_25 (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
exit 2
