#!/usr/bin/env bash
# The Spark path (optional for users, run by the tests): a Java runtime (Debian's
# default-jre-headless, when no `java` is on PATH) and the [spark] extra (pyspark).
# Idempotent: a second run checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

if ! command -v java >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "spark.sh: no Java runtime and no apt-get; install Java 17 or later yourself." >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "spark.sh: installing Java needs root (or sudo)." >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
fi
java -version 2>&1 | head -1

if ! "$PY" -c 'import pyspark' >/dev/null 2>&1; then
  "$PY" -m pip install -q -c requirements/constraints.txt -e ".[spark]"
fi
"$PY" -c 'import pyspark; print("pyspark", pyspark.__version__)'
