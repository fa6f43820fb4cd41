#!/usr/bin/env bash
# Mutation testing (issue 18) of the modules that decide what a reader sees, with mutmut: one
# module at a time, niced (the run is CPU heavy), each timed. Not in CI: it takes minutes to an
# hour. Which modules mutmut may mutate and which tests it runs are in pyproject.toml,
# [tool.mutmut]; the tests are those that run the generator in this process.
#
#   bash scripts/mutation.sh                      # every module below
#   bash scripts/mutation.sh generator.derive     # some modules (dotted names)
#   JOBS=1 bash scripts/mutation.sh ...           # parallel test processes (default 2)
#   NICE=0 bash scripts/mutation.sh ...           # niceness (default 15; 0 on an idle machine)
#   SAMPLE=0 bash scripts/mutation.sh ...         # only mutants whose number ends in 0 (a 10 %
#                                                 # sample: a score estimate in a tenth the time)
#
# Prints one line a module: mutants, killed, survived (with "no tests" among them), score,
# minutes; lists the survivors, and `.venv/bin/mutmut show NAME` shows one. Results stay in
# mutants/ (git-ignored); mutants/<module>.log keeps mutmut's own output.
set -euo pipefail
cd "$(dirname "$0")/.."

MODULES=(
  generator.derive
  generator.permalink
  generator.urls
  generator.render.plans
  generator.render.agencies
  generator.names
  generator.render.common
  generator.search.documents
  generator.timeline
  generator.render.documents
  generator.render.themes
  generator.render.deadlines
  generator.render
)
[ "$#" -gt 0 ] && MODULES=("$@")

if [ ! -x .venv/bin/mutmut ]; then
  echo "mutmut is missing: .venv/bin/pip install -e '.[test,mutation]'" >&2
  exit 1
fi
mkdir -p mutants

summary=()
for module in "${MODULES[@]}"; do
  echo "== $module"
  start=$(date +%s)
  # mutmut's own exit status is not the verdict (the summary below is); its output is kept.
  # "<module>.x*": this module's functions, not those of its submodules (generator.render).
  nice -n "${NICE:-15}" .venv/bin/mutmut run --max-children "${JOBS:-2}" "$module.x*__mutmut_*${SAMPLE:-}" \
    >"mutants/$module.log" 2>&1 || { tail -20 "mutants/$module.log"; exit 1; }
  seconds=$(($(date +%s) - start))
  summary+=("$(.venv/bin/python - "$module" "$seconds" <<'PY'
import json, sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

module, seconds = sys.argv[1], int(sys.argv[2])
path = Path("mutants", *module.split("."))
meta = path.with_suffix(".py.meta") if path.with_suffix(".py.meta").exists() else path / "__init__.py.meta"
codes = json.loads(meta.read_text())["exit_code_by_key"]
mine = [name for name in codes if name.startswith(module + ".x")]
# Mutants not run (a sample, or a run stopped early) have no exit code.
status = {name: status_by_exit_code[codes[name]] for name in mine if codes[name] is not None}
killed = sum(s in ("killed", "timeout", "caught by type check") for s in status.values())
survivors = sorted(n for n, s in status.items() if s not in ("killed", "timeout", "caught by type check"))
untested = sum(status[n] == "no tests" for n in survivors)
total = len(status)
score = 100 * killed / total if total else 100.0
print(f"{module:34} {total:5} of {len(mine)} mutants run {killed:5} killed {len(survivors):4} "
      f"survived ({untested} no tests)  {score:5.1f} %  {seconds / 60:5.1f} min")
for name in survivors:
    print(f"    survived: {name} ({status[name]})", file=sys.stderr)
PY
)")
  echo "${summary[-1]}"
done
echo
echo "Mutation score by module:"
printf '%s\n' "${summary[@]}"
