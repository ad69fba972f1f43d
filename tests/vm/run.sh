#!/usr/bin/env bash
# Boot a pure cgroup v2 Debian (systemd, Debian's 6.1 kernel) in qemu and run the shellwise
# suite inside: tests/vm/README.md says what it checks.
#
#   tests/vm/run.sh BIN          # BIN: the shellwise release binary to test
#
# Exits 0 only if every check in the VM passed. Without qemu it skips (exit 0); without
# /dev/kvm it falls back to TCG emulation with a warning. With SHELLWISE_REQUIRE_VM=1 both are
# failures. A /dev/kvm that cannot run the guest usefully (PVM, see below) falls back to TCG
# even then, with a warning; SHELLWISE_REQUIRE_KVM=1 makes any emulation a failure.
#
# Environment:
#   SHELLWISE_REQUIRE_VM=1    missing qemu or /dev/kvm (or an image that cannot be built) fails
#   SHELLWISE_VM_CACHE=DIR    where images are cached (default /var/cache/shellwise-vm)
#   SHELLWISE_VM_OUT=DIR      where this run's logs go (default ${TMPDIR:-/tmp}/shellwise-vm-last)
#   SHELLWISE_VM_MIRROR=URL   Debian mirror for debootstrap (default: the one apt uses here)
#   SHELLWISE_VM_ACCEL=auto   kvm, tcg, or auto: KVM when /dev/kvm is usable (and not PVM)
#   SHELLWISE_REQUIRE_KVM=1   emulation (TCG) is a failure, not a fallback
#   SHELLWISE_VM_TIMEOUT=S    hard limit for the VM (default 420 with KVM, 1500 with TCG)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${1:?usage: tests/vm/run.sh BIN (the shellwise binary)}
[ -x "$BIN" ] || { echo "run.sh: $BIN is not an executable" >&2; exit 2; }
BIN=$(realpath "$BIN")
REQUIRE=${SHELLWISE_REQUIRE_VM:-0}
CACHE=${SHELLWISE_VM_CACHE:-/var/cache/shellwise-vm}
OUT=${SHELLWISE_VM_OUT:-${TMPDIR:-/tmp}/shellwise-vm-last}
T_START=$(date +%s)

say() { echo "vm: $*"; }
# A missing prerequisite: skip, or fail where the VM is required.
unavailable() {
  if [ "$REQUIRE" = 1 ]; then
    echo "vm: FAIL: $* (SHELLWISE_REQUIRE_VM=1)" >&2
    exit 1
  fi
  echo "vm: SKIP: $*"
  exit 0
}
secs() { echo $(($(date +%s) - $1)); }

[ "$(id -u)" = 0 ] || unavailable "needs root (debootstrap, chroot)"

# ---------------------------------------------------------------- tools
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v debootstrap >/dev/null || need+=(debootstrap)
{ command -v mkfs.ext4 && command -v debugfs; } >/dev/null || need+=(e2fsprogs)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  { timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 \
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } ||
    unavailable "cannot install ${need[*]}"
fi
command -v qemu-system-x86_64 >/dev/null || unavailable "qemu-system-x86_64 is missing"

# KVM, unless it is missing or cannot run an ordinary kernel at a useful speed: a PVM host
# (kvm_pvm, the nested hypervisor of some cloud sandboxes) answers the KVM API but runs a
# guest kernel not built for PVM slower than emulation does (measured: ~10 s of kernel time to
# reach the memory zones). SHELLWISE_VM_ACCEL=kvm|tcg overrides the choice.
ACCEL_MODE=${SHELLWISE_VM_ACCEL:-auto}
kvm_why=""
if ! { [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
  kvm_why="no usable /dev/kvm"
  # Where the VM is required, a host without KVM is a failure; emulation is only the
  # fallback for a host whose KVM cannot run the guest (below).
  [ "$REQUIRE" = 1 ] && [ "${SHELLWISE_VM_ACCEL:-auto}" = auto ] &&
    { echo "vm: FAIL: $kvm_why (SHELLWISE_REQUIRE_VM=1; SHELLWISE_VM_ACCEL=tcg to emulate anyway)" >&2; exit 1; }
elif [ -d /sys/module/kvm_pvm ]; then
  kvm_why="/dev/kvm is PVM (kvm_pvm), which runs Debian's kernel slower than TCG"
fi
if [ "$ACCEL_MODE" = auto ]; then
  if [ -z "$kvm_why" ]; then ACCEL_MODE=kvm; else ACCEL_MODE=tcg; fi
fi
case $ACCEL_MODE in
kvm)
  ACCEL=(-enable-kvm -cpu host)
  LIMIT=${SHELLWISE_VM_TIMEOUT:-420}
  ;;
tcg)
  if [ "${SHELLWISE_REQUIRE_KVM:-0}" = 1 ]; then
    echo "vm: FAIL: ${kvm_why:-KVM not chosen} (SHELLWISE_REQUIRE_KVM=1)" >&2
    exit 1
  fi
  echo "vm: WARNING: ${kvm_why:-SHELLWISE_VM_ACCEL=tcg}: using TCG emulation (slower; longer timeout)" >&2
  ACCEL=(-accel tcg,thread=multi -cpu max)
  LIMIT=${SHELLWISE_VM_TIMEOUT:-1500}
  ;;
*)
  echo "vm: SHELLWISE_VM_ACCEL must be auto, kvm or tcg" >&2
  exit 2
  ;;
esac

# ---------------------------------------------------------------- image (cached by stamp)
mirror() {
  [ -n "${SHELLWISE_VM_MIRROR:-}" ] && { echo "$SHELLWISE_VM_MIRROR"; return; }
  # The first Debian main archive apt uses here (deb822 .sources or one-line sources.list).
  local u
  u=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {for (i = 2; i <= NF; i++) print $i}'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }')
  u=$(echo "$u" | grep -E '/debian/?$' | head -1)
  echo "${u:-http://deb.debian.org/debian}"
}
STAMP=$(cat "$HERE/build-rootfs.sh" "$HERE/packages.txt" | sha256sum | cut -c1-16)
IMG=$CACHE/$STAMP
mkdir -p "$CACHE"
exec 8>"$CACHE/.build.lock"
flock -w 1800 8 || unavailable "another run holds $CACHE/.build.lock"
if [ -f "$IMG/ready" ]; then
  say "rootfs: cached $IMG (built $(cat "$IMG/built-at") in $(cat "$IMG/build-seconds") s, kernel $(cat "$IMG/kernel-version"))"
  ROOTFS_NOTE="cached (first build took $(cat "$IMG/build-seconds") s)"
else
  M=$(mirror)
  say "rootfs: building $IMG from $M (debootstrap; a few minutes, once per stamp)"
  rm -rf "$IMG.tmp"
  t=$(date +%s)
  if ! timeout 2400 "$HERE/build-rootfs.sh" "$IMG.tmp" "$M" >"$CACHE/build-$STAMP.log" 2>&1; then
    tail -30 "$CACHE/build-$STAMP.log" >&2
    unavailable "building the root filesystem failed (log: $CACHE/build-$STAMP.log)"
  fi
  secs "$t" >"$IMG.tmp/build-seconds"
  date -u +%Y-%m-%dT%H:%MZ >"$IMG.tmp/built-at"
  mv "$CACHE/build-$STAMP.log" "$IMG.tmp/build.log"
  touch "$IMG.tmp/ready"
  mv "$IMG.tmp" "$IMG"
  # Older stamps are of no use any more.
  find "$CACHE" -mindepth 1 -maxdepth 1 -type d ! -name "$STAMP" -exec rm -rf {} +
  say "rootfs: built in $(cat "$IMG/build-seconds") s"
  ROOTFS_NOTE="built now in $(cat "$IMG/build-seconds") s (uncached)"
fi
flock -u 8

# ---------------------------------------------------------------- share disk
rm -rf "$OUT"
mkdir -p "$OUT/share/suite" "$OUT/share/out"
cp "$BIN" "$OUT/share/shellwise"
cp "$HERE"/suite/* "$OUT/share/suite/"
chmod 755 "$OUT/share/suite/main.sh"
cp "$REPO/contrib/shellwise.service" "$OUT/share/shellwise.service"
cp "$REPO/loadtest/exec.lua" "$OUT/share/exec.lua"
share_mb=$(($(du -sm "$OUT/share" | cut -f1) + 256))
mkfs.ext4 -q -F -L swshare -d "$OUT/share" "$OUT/share.img" "${share_mb}M" >/dev/null
rm -rf "$OUT/share"

# ---------------------------------------------------------------- boot
# One VM at a time on this machine.
exec 9>"$CACHE/.vm.lock"
flock -w 900 9 || { echo "vm: FAIL: another VM holds $CACHE/.vm.lock" >&2; exit 1; }
CMDLINE="root=/dev/vda rw console=ttyS0 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 panic=-1"
say "booting (kernel $(cat "$IMG/kernel-version"), ${ACCEL[*]}, -smp 2 -m 2G, -nic none, limit ${LIMIT} s)"
t_boot=$(date +%s.%N)
set +e
timeout -k 10 "$LIMIT" qemu-system-x86_64 "${ACCEL[@]}" -smp 2 -m 2G \
  -nodefaults -no-user-config -display none -monitor none -nic none -no-reboot \
  -serial "file:$OUT/serial.log" \
  -kernel "$IMG/vmlinuz" -initrd "$IMG/initrd.img" -append "$CMDLINE" \
  -drive "file=$IMG/rootfs.img,format=raw,if=virtio,snapshot=on" \
  -drive "file=$OUT/share.img,format=raw,if=virtio" \
  -device virtio-rng-pci \
  >"$OUT/qemu.log" 2>&1
qrc=$?
set -e
flock -u 9
wall=$(awk -v a="$t_boot" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# ---------------------------------------------------------------- results
debugfs -R "rdump /out $OUT" "$OUT/share.img" >/dev/null 2>&1 || true
LOG=$OUT/out/suite.log
[ -s "$LOG" ] || LOG=$OUT/serial.log
entry=$(sed -n 's/.*VM-ENTRY uptime=\([0-9.]*\).*/\1/p' "$OUT/serial.log" | head -1)
vexit=$(sed -n 's/.*VM-EXIT uptime=\([0-9.]*\).*/\1/p' "$LOG" | head -1)
end=$(grep -a '^SUITE-END' "$LOG" | tail -1 || true)
suite_s=$(echo "$end" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
oks=$(grep -ac '^ok ' "$LOG" || true)
fails=$(grep -ac '^FAIL ' "$LOG" || true)

echo
echo "== VM suite results ($LOG)"
grep -a -E '^(ok|FAIL) ' "$LOG" || true
echo
grep -a -E '^(speed|probe) ' "$LOG" || true
echo "rootfs: $ROOTFS_NOTE"
echo "boot: ${entry:-?} s (kernel start to the suite's start, guest clock); qemu ran ${wall} s in all"
echo "suite: ${suite_s:-?} s; whole stage: $(secs "$T_START") s"
status=0
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
  echo "vm: FAIL: the VM did not finish within ${LIMIT} s (killed)"
  status=1
elif [ "$qrc" != 0 ]; then
  echo "vm: FAIL: qemu exited with $qrc: $(tail -5 "$OUT/qemu.log" | tr '\n' ' ')"
  status=1
fi
if [ -z "$end" ]; then
  echo "vm: FAIL: the suite did not finish (no SUITE-END line); serial log tail:"
  tail -40 "$OUT/serial.log"
  status=1
fi
[ "${oks:-0}" -gt 0 ] || status=1
[ "${fails:-0}" = 0 ] || status=1
[ -n "$vexit" ] || echo "vm: note: no VM-EXIT line (the share disk may not have been unmounted cleanly)"
echo "logs: $OUT (serial.log, out/suite.log, out/journal-shellwise.txt, out/*.json)"
echo "${oks:-0} passed, ${fails:-0} failed"
exit $status
