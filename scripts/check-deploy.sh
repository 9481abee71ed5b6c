#!/usr/bin/env bash
# Checks the deployment kit without touching AWS:
#   1. shellcheck on every shell script in deploy/ and scripts/ (plus the bundle's bin/orchard wrapper);
#   2. deploy/emr/iam-policy.json (and the EC2 trust policy) against IAM's grammar and this kit's rules:
#      S3 actions only, never s3:* nor a "*" resource, only the documented YOUR-… placeholders;
#   3. the bundle end to end on this machine: scripts/package-linux.sh packs a small C program linked
#      against the same C libraries as orchard, deploy/emr/bootstrap-orchard.sh installs the tarball
#      into a temporary prefix (sha256 checked, idempotent, replaced by a newer bundle, refused on a
#      bad digest), and the installed command runs;
#   4. deploy/emr/start-spark-connect.sh and create-cluster.sh in --dry-run/DRY_RUN mode, against a
#      fake EMR Spark layout.
# Exits non-zero on any problem. Installs shellcheck and patchelf with apt-get when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

missing=()
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v patchelf >/dev/null || missing+=(patchelf)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "check-deploy: needs ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1; }
  echo "check-deploy: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. shellcheck ----------------------------------------------------------------------------------
mapfile -t scripts < <(find deploy scripts -type f -name '*.sh' | sort)
for script in "${scripts[@]}"; do
  if shellcheck --severity="${SHELLCHECK_SEVERITY:-style}" "$script"; then ok "shellcheck $script"; else fail "shellcheck $script"; fi
done

# 2. IAM policies ---------------------------------------------------------------------------------
if python3 - deploy/emr/iam-policy.json deploy/emr/ec2-trust-policy.json <<'PY'; then ok "IAM policies"; else fail "IAM policies"; fi
import json, re, sys

PLACEHOLDERS = {"YOUR-BUCKET", "YOUR-INPUT-PREFIX", "YOUR-OUTPUT-PREFIX", "YOUR-ARTIFACTS-PREFIX", "YOUR-LOG-PREFIX"}
STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"}
problems = []

def as_list(value):
    return value if isinstance(value, list) else [value]

def check(path, permissions):
    try:
        with open(path) as f:
            policy = json.load(f)
    except (OSError, ValueError) as error:
        problems.append(f"{path}: not valid JSON: {error}")
        return
    if not isinstance(policy, dict) or set(policy) - {"Version", "Id", "Statement"}:
        problems.append(f"{path}: top level must be an object with Version, Statement (and optionally Id)")
        return
    if policy.get("Version") != "2012-10-17":
        problems.append(f"{path}: Version must be \"2012-10-17\"")
    statements = policy.get("Statement")
    if not isinstance(statements, list) or not statements:
        problems.append(f"{path}: Statement must be a non-empty array")
        return
    sids = set()
    for index, statement in enumerate(statements):
        where = f"{path}: Statement[{index}]"
        if not isinstance(statement, dict):
            problems.append(f"{where}: not an object")
            continue
        unknown = set(statement) - STATEMENT_KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        sid = statement.get("Sid")
        if not isinstance(sid, str) or not re.fullmatch(r"[A-Za-z0-9]+", sid):
            problems.append(f"{where}: Sid must be letters and digits")
        elif sid in sids:
            problems.append(f"{where}: duplicate Sid {sid}")
        sids.add(sid)
        if statement.get("Effect") not in ("Allow", "Deny"):
            problems.append(f"{where}: Effect must be Allow or Deny")
        if "Action" not in statement:
            problems.append(f"{where}: no Action")
            continue
        actions = as_list(statement["Action"])
        if not actions or not all(isinstance(a, str) for a in actions):
            problems.append(f"{where}: Action must be a string or an array of strings")
            continue
        if "Condition" in statement:
            condition = statement["Condition"]
            if not isinstance(condition, dict) or not all(isinstance(v, dict) for v in condition.values()):
                problems.append(f"{where}: Condition must map operators to {{key: value}} objects")
        if permissions:
            if "Principal" in statement:
                problems.append(f"{where}: an identity policy has no Principal")
            for action in actions:
                if not re.fullmatch(r"s3:[A-Za-z]+", action):
                    problems.append(f"{where}: {action!r} is not a single S3 action (no wildcards, S3 only)")
            resources = as_list(statement.get("Resource", []))
            if not resources:
                problems.append(f"{where}: no Resource")
            for resource in resources:
                if not isinstance(resource, str) or "*" == resource or not resource.startswith("arn:aws:s3:::YOUR-BUCKET"):
                    problems.append(f"{where}: resource {resource!r} must be arn:aws:s3:::YOUR-BUCKET[/…]")
                    continue
                if re.fullmatch(r"arn:aws:s3:::[^/]*\*.*", resource):
                    problems.append(f"{where}: resource {resource!r} has a wildcard in the bucket name")
                elif resource != "arn:aws:s3:::YOUR-BUCKET" and not re.fullmatch(r"arn:aws:s3:::YOUR-BUCKET/YOUR-[A-Z]+-PREFIX([/_].*)?", resource):
                    problems.append(f"{where}: resource {resource!r} is neither the bucket nor under one of the prefixes")
            text = json.dumps(statement)
            for token in set(re.findall(r"YOUR-[A-Z-]*[A-Z]", text)) - PLACEHOLDERS:
                problems.append(f"{where}: unknown placeholder {token}")
        else:
            if statement.get("Principal") != {"Service": "ec2.amazonaws.com"} or actions != ["sts:AssumeRole"]:
                problems.append(f"{where}: the trust policy must let ec2.amazonaws.com sts:AssumeRole, nothing else")

check(sys.argv[1], permissions=True)
check(sys.argv[2], permissions=False)
for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# 3. Bundle: package, install, run ---------------------------------------------------------------
cat >"$work/probe.c" <<'C'
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--version") == 0) puts(PROBE_VERSION);
    return 0;
}
C
probe_libs=(-lXNNPACK -lpthreadpool -ldnnl -lturbojpeg -lpng16 -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5_serial
  -lopenblas -llapacke -lzstd -lsnappy -lz)
for v in 1 2; do
  cc -O1 -DPROBE_VERSION="\"0.0.$v-probe\"" -o "$work/probe$v" "$work/probe.c" -Wl,--no-as-needed "${probe_libs[@]}"
  if bash scripts/package-linux.sh --binary "$work/probe$v" --version "0.0.$v-probe" --out "$work/dist" >"$work/package$v.log" 2>&1; then
    ok "package-linux.sh packs probe $v"
  else
    cat "$work/package$v.log" >&2
    fail "package-linux.sh packs probe $v"
  fi
done

tarball1="$work/dist/orchard-0.0.1-probe-linux-x86_64.tar.gz"
tarball2="$work/dist/orchard-0.0.2-probe-linux-x86_64.tar.gz"
if [ -f "$tarball1" ] && [ -f "$tarball2" ]; then
  listing=$(tar -tzf "$tarball1")
  for entry in bin/orchard libexec/orchard BUILD-INFO lib/libXNNPACK.so.0 lib/libhdf5_serial.so.103 lib/libsnappy.so.1 lib/libz.so.1; do
    if grep -qx "orchard-0.0.1-probe-linux-x86_64/$entry" <<<"$listing"; then ok "bundle holds $entry"; else fail "bundle holds $entry"; fi
  done
  for entry in lib/libc.so.6 lib/libm.so.6 lib/ld-linux-x86-64.so.2 lib/libstdc++.so.6; do
    if grep -qx "orchard-0.0.1-probe-linux-x86_64/$entry" <<<"$listing"; then fail "bundle leaves out $entry"; else ok "bundle leaves out $entry"; fi
  done
  if grep -q 'requires glibc >= 2.34 ' "$work/package1.log"; then ok "glibc requirement reported (2.34)"; else fail "glibc requirement reported: $(grep glibc "$work/package1.log")"; fi
  if [ "$(cut -d' ' -f1 "$tarball1.sha256")" = "$(sha256sum "$tarball1" | cut -d' ' -f1)" ]; then ok "sha256 file matches"; else fail "sha256 file matches"; fi

  mkdir -p "$work/unpacked"
  tar -xzf "$tarball1" -C "$work/unpacked"
  if shellcheck "$work/unpacked/orchard-0.0.1-probe-linux-x86_64/bin/orchard"; then ok "shellcheck bundle wrapper"; else fail "shellcheck bundle wrapper"; fi

  export ORCHARD_PREFIX="$work/root/opt/orchard" ORCHARD_LINK="$work/root/usr/local/bin/orchard"
  sha1=$(cut -d' ' -f1 "$tarball1.sha256")
  if out=$(bash deploy/emr/bootstrap-orchard.sh "$tarball1" "$sha1" 2>&1) && grep -q -- '--version: 0.0.1-probe' <<<"$out"; then
    ok "bootstrap installs and runs the bundle"
  else
    echo "$out" >&2; fail "bootstrap installs and runs the bundle"
  fi
  if out=$(bash deploy/emr/bootstrap-orchard.sh "$tarball1" "$sha1" 2>&1) && grep -q 'already holds this bundle' <<<"$out"; then
    ok "bootstrap is idempotent"
  else
    echo "$out" >&2; fail "bootstrap is idempotent"
  fi
  # The installed binary must find every library in the bundle with no help from the environment.
  resolved=$(env -i PATH=/usr/bin:/bin ldd "$ORCHARD_PREFIX/libexec/orchard")
  if grep -q "libXNNPACK.so.0 => $ORCHARD_PREFIX/libexec/../lib/" <<<"$resolved" && ! grep -q 'not found' <<<"$resolved"; then
    ok "installed binary resolves its libraries in the bundle (rpath)"
  else
    echo "$resolved" >&2; fail "installed binary resolves its libraries in the bundle (rpath)"
  fi
  if [ "$(env -i PATH=/usr/bin:/bin "$ORCHARD_LINK" --version)" = "0.0.1-probe" ]; then ok "orchard link runs in an empty environment"; else fail "orchard link runs in an empty environment"; fi
  if out=$(bash deploy/emr/bootstrap-orchard.sh "$tarball2" "$(cut -d' ' -f1 "$tarball2.sha256")" 2>&1) && [ "$("$ORCHARD_LINK" --version)" = "0.0.2-probe" ] &&
    [ -z "$(find "$(dirname "$ORCHARD_PREFIX")" -maxdepth 1 -name '.orchard-*')" ]; then
    ok "bootstrap replaces an older bundle and leaves no staging folders"
  else
    echo "$out" >&2; fail "bootstrap replaces an older bundle and leaves no staging folders"
  fi
  if out=$(bash deploy/emr/bootstrap-orchard.sh "$tarball1" "$(printf '0%.0s' {1..64})" 2>&1); then
    fail "bootstrap refuses a sha256 mismatch"
  elif grep -q 'sha256 mismatch' <<<"$out" && [ "$("$ORCHARD_LINK" --version)" = "0.0.2-probe" ]; then
    ok "bootstrap refuses a sha256 mismatch and keeps the installed bundle"
  else
    echo "$out" >&2; fail "bootstrap refuses a sha256 mismatch and keeps the installed bundle"
  fi
  unset ORCHARD_PREFIX ORCHARD_LINK
fi

# 4. Spark Connect starter and cluster command, dry runs ------------------------------------------
fake_spark="$work/spark"
mkdir -p "$fake_spark/jars" "$fake_spark/sbin"
touch "$fake_spark/jars/spark-core_2.12-3.5.5-amzn-1.jar"
printf '#!/bin/sh\nexit 0\n' >"$fake_spark/sbin/start-connect-server.sh"
chmod +x "$fake_spark/sbin/start-connect-server.sh"
out=$(SPARK_HOME="$fake_spark" ORCHARD_CONNECT_STATE="$work/connect" bash deploy/emr/start-spark-connect.sh --dry-run --port 15010)
if grep -q -- '--packages org.apache.spark:spark-connect_2.12:3.5.5 ' <<<"$out" &&
  grep -q -- 'spark.connect.grpc.binding.port=15010' <<<"$out"; then
  ok "start-spark-connect.sh matches the connect package to EMR's Spark 3.5.5-amzn-1"
else
  echo "$out" >&2; fail "start-spark-connect.sh matches the connect package to EMR's Spark 3.5.5-amzn-1"
fi
echo '{"isMaster": false, "isRunningResourceManager": false}' >"$work/instance.json"
if out=$(EMR_INSTANCE_INFO="$work/instance.json" bash deploy/emr/start-spark-connect.sh --background) && grep -q 'not the primary node' <<<"$out"; then
  ok "start-spark-connect.sh --background does nothing on core/task nodes"
else
  fail "start-spark-connect.sh --background does nothing on core/task nodes"
fi
out=$(DRY_RUN=1 ORCHARD_BUCKET=example-bucket ORCHARD_SHA256="$(printf 'a%.0s' {1..64})" EC2_KEY_NAME=example-key \
  ORCHARD_VERSION=0.0.1-probe bash deploy/emr/create-cluster.sh)
if grep -q 's3://example-bucket/orchard/artifacts/bootstrap-orchard.sh' <<<"$out" &&
  grep -q 's3://example-bucket/orchard/artifacts/orchard-0.0.1-probe-linux-x86_64.tar.gz' <<<"$out" &&
  grep -q -- '--release-label emr-7' <<<"$out"; then
  ok "create-cluster.sh renders the bootstrap action and release"
else
  echo "$out" >&2; fail "create-cluster.sh renders the bootstrap action and release"
fi
if python3 -c '
import json, sys
values = {}
for line in sys.stdin:
    line = line.strip().rstrip("\\").strip()
    option, _, rest = line.partition(" ")
    if option in ("--instance-groups", "--bootstrap-actions", "--steps"):
        values[option] = json.loads(rest.strip()[1:-1])
assert len(values) == 3, values
assert values["--bootstrap-actions"][0]["Args"][1] == "a" * 64
assert values["--steps"][0]["Jar"] == "command-runner.jar"
' <<<"$out"; then
  ok "create-cluster.sh passes valid JSON for instance groups, bootstrap actions and steps"
else
  fail "create-cluster.sh passes valid JSON for instance groups, bootstrap actions and steps"
fi

echo "check-deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
