#!/usr/bin/env bash
# Checks the packaging files without building a package:
#   - the systemd unit passes `systemd-analyze verify` and keeps its sandbox
#     (`systemd-analyze security` exposure at most 2.0);
#   - the Homebrew formula parses (`ruby -c`) and the example config still has the lines the
#     formula rewrites;
#   - the Debian maintainer scripts parse and carry the #DEBHELPER# token cargo-deb needs;
#   - packaging/cartd.toml is accepted by `cartd check` with no unknown key, when a built
#     cartd is at hand (target/debug/cartd after `cargo test`, or $CARTD_BIN).
# A missing systemd-analyze or ruby is installed with apt-get when running as root with
# CI=true; elsewhere that check is skipped and said so.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Installs the Debian package $2 providing command $1 when CI runs as root; true if $1 is
# then available.
ensure_command() {
    local command=$1 package=$2
    if command -v "$command" >/dev/null; then
        return 0
    fi
    if [ "${CI:-}" = "true" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing $package for $command"
        if [ -z "${apt_updated:-}" ]; then
            apt-get update -qq >/dev/null
            apt_updated=1
        fi
        DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq "$package" >/dev/null
    fi
    command -v "$command" >/dev/null
}

echo "== systemd unit"
if ensure_command systemd-analyze systemd; then
    # verify refuses a unit whose ExecStart binary is missing, so check a copy that runs
    # /bin/true; the copy keeps the name cartd.service.
    sed 's|/usr/bin/cartd|/bin/true|g' packaging/systemd/cartd.service >"$scratch/cartd.service"
    # verify exits 0 on unknown keys and bad values and only prints them, so any output is
    # a failure.
    report=$(systemd-analyze verify "$scratch/cartd.service" 2>&1) || true
    if [ -n "$report" ]; then
        echo "$report"
        echo "FAIL: systemd-analyze verify packaging/systemd/cartd.service"
        exit 1
    fi
    echo "ok: systemd-analyze verify packaging/systemd/cartd.service"
    if systemd-analyze --help | grep -q -- '--offline'; then
        # --threshold is on a 0-100 scale: 20 is the exposure level 2.0 printed below.
        if ! systemd-analyze security --offline=yes --threshold=20 --no-pager \
            "$scratch/cartd.service" >"$scratch/security" 2>&1; then
            cat "$scratch/security"
            echo "FAIL: the unit's sandbox exposure rose above 2.0"
            exit 1
        fi
        echo "ok: $(grep 'Overall exposure level' "$scratch/security")"
    else
        echo "skipped: systemd-analyze security --offline (systemd too old)"
    fi
else
    echo "skipped: systemd-analyze not installed"
fi

echo "== Homebrew formula"
if ensure_command ruby ruby; then
    if ! ruby -c packaging/homebrew/cartd.rb >/dev/null; then
        echo "FAIL: ruby -c packaging/homebrew/cartd.rb"
        exit 1
    fi
    echo "ok: ruby -c packaging/homebrew/cartd.rb"
else
    echo "skipped: ruby not installed"
fi
# The formula points data_path and the hooks dir of config/cartd.example.toml into
# Homebrew's prefix with inreplace, which fails the install if a line is gone.
for line in '^data_path = ' '^dir = "hooks"$'; do
    if [ "$(grep -c -- "$line" config/cartd.example.toml)" != 1 ]; then
        echo "FAIL: config/cartd.example.toml needs exactly one line matching $line (packaging/homebrew/cartd.rb rewrites it)"
        exit 1
    fi
done
echo "ok: config/cartd.example.toml has the lines the formula rewrites"

echo "== Debian maintainer scripts"
for script in packaging/debian/*; do
    sh -n "$script" || { echo "FAIL: sh -n $script"; exit 1; }
    grep -q '^#DEBHELPER#$' "$script" || { echo "FAIL: $script lacks #DEBHELPER#"; exit 1; }
    [ -x "$script" ] || { echo "FAIL: $script is not executable"; exit 1; }
done
echo "ok: sh -n, #DEBHELPER# and mode of $(echo packaging/debian/*)"

echo "== packaged configuration"
cartd_bin=${CARTD_BIN:-target/debug/cartd}
if [ -x "$cartd_bin" ]; then
    # The packaged paths exist only on an installed system: point the hooks folder and the
    # data file into the scratch folder, keep everything else as packaged.
    mkdir "$scratch/hooks"
    sed -e "s|^dir = .*|dir = \"$scratch/hooks\"|" \
        -e "s|^data_path = .*|data_path = \"$scratch/cartd.redb\"|" \
        packaging/cartd.toml >"$scratch/cartd.toml"
    if ! "$cartd_bin" check --config "$scratch/cartd.toml" >"$scratch/check" 2>&1 \
        || grep -q '^warning' "$scratch/check"; then
        cat "$scratch/check"
        echo "FAIL: cartd check on packaging/cartd.toml"
        exit 1
    fi
    echo "ok: $cartd_bin check accepts packaging/cartd.toml with no unknown key"
else
    echo "skipped: cartd check ($cartd_bin not built; run after cargo test or set CARTD_BIN)"
fi
