# Sourced by the other scripts: offline-safe settings for the libraries we use.
export TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""
export YDATA_PROFILING_NO_ANALYTICS=1
export LITELLM_LOCAL_MODEL_COST_MAP=True
export HF_HUB_OFFLINE=1
export PIP_DISABLE_PIP_VERSION_CHECK=1
export MPLBACKEND=Agg
VENV="${VENV:-.venv}"
PY="$VENV/bin/python"
