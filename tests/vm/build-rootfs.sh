#!/usr/bin/env bash
# Build the VM's root filesystem: a minimal Debian bookworm with systemd and Debian's kernel,
# as an ext4 image made with `mkfs.ext4 -d` (no loop mount), plus the kernel and initramfs
# taken out of it for qemu's -kernel/-initrd.
#
#   tests/vm/build-rootfs.sh OUTDIR MIRROR
#
# Writes OUTDIR/rootfs.img, OUTDIR/vmlinuz, OUTDIR/initrd.img and OUTDIR/build.log. run.sh calls
# it when its cache has no image for the current stamp (a hash of this file and
# packages.txt): change either and the next run rebuilds. Needs root (debootstrap, chroot).
#
# The image boots into one unit, shellwise-vm-entry.service: it mounts the second disk
# (/dev/vdb, the share image run.sh makes), runs its suite/main.sh with the output on the
# serial console and in out/suite.log of that disk, unmounts it and powers off. Nothing in the
# image knows about shellwise: the binary, the unit file and the suite all come on the share
# disk, so changing them never needs a rebuild.
set -euo pipefail
OUT=${1:?usage: build-rootfs.sh OUTDIR MIRROR}
MIRROR=${2:?usage: build-rootfs.sh OUTDIR MIRROR}
HERE=$(cd "$(dirname "$0")" && pwd)
SUITE=bookworm
PKGS=$(grep -v '^[[:space:]]*\(#\|$\)' "$HERE/packages.txt" | paste -sd, -)

mkdir -p "$OUT"
ROOT="$OUT/root"
cleanup() {
  # debootstrap leaves /proc and /sys mounted in the target when it fails half-way.
  for m in proc sys dev/pts dev; do
    mountpoint -q "$ROOT/$m" 2>/dev/null && umount -l "$ROOT/$m" || true
  done
}
trap cleanup EXIT
rm -rf "$ROOT"

echo "== debootstrap $SUITE from $MIRROR (minbase + $PKGS)"
# minbase: only Essential + apt; --include adds systemd, the kernel and the suite's tools.
# Recommends are not installed (debootstrap's default), which keeps the image small.
timeout 1500 debootstrap --variant=minbase --include="$PKGS" "$SUITE" "$ROOT" "$MIRROR"

echo "== configure"
echo shellwise-vm >"$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tshellwise-vm\n::1\tlocalhost ip6-localhost\n' >"$ROOT/etc/hosts"
# The root disk is attached with snapshot=on: writes go to a throw-away overlay, so no fsck.
echo '/dev/vda / ext4 rw,relatime 0 0' >"$ROOT/etc/fstab"
# A fixed machine id: no first-boot logic (systemd-firstboot would prompt on the console).
echo 5e11e115e0000000000000000000b007 >"$ROOT/etc/machine-id"
mkdir -p "$ROOT/etc/systemd/journald.conf.d" "$ROOT/etc/systemd/system.conf.d"
printf '[Journal]\nStorage=volatile\nForwardToConsole=no\n' >"$ROOT/etc/systemd/journald.conf.d/vm.conf"
# Fast power-off: nothing in the VM needs long to stop.
printf '[Manager]\nDefaultTimeoutStopSec=10s\n' >"$ROOT/etc/systemd/system.conf.d/vm.conf"

cat >"$ROOT/usr/local/sbin/shellwise-vm-entry" <<'EOF'
#!/bin/sh
# Mount the share disk, run its suite, bring the results out on that disk, power off
# (SuccessAction/FailureAction of the unit).
echo "VM-ENTRY uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r)"
mkdir -p /mnt/share
i=0
while [ ! -b /dev/vdb ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if ! mount -t ext4 /dev/vdb /mnt/share; then
  echo "VM-ERROR cannot mount /dev/vdb"
  exit 1
fi
mkdir -p /mnt/share/out
rc=0
if [ -x /mnt/share/suite/main.sh ]; then
  # pipefail is not in dash: the suite writes its own status line, run.sh reads that.
  /mnt/share/suite/main.sh /mnt/share 2>&1 | tee /mnt/share/out/suite.log
else
  echo "VM-ERROR no executable /mnt/share/suite/main.sh"
  rc=1
fi
echo "VM-EXIT uptime=$(cut -d' ' -f1 /proc/uptime)" | tee -a /mnt/share/out/suite.log
sync
umount /mnt/share || { sync; echo "VM-WARN share still busy"; }
exit $rc
EOF
chmod 755 "$ROOT/usr/local/sbin/shellwise-vm-entry"

cat >"$ROOT/etc/systemd/system/shellwise-vm-entry.service" <<'EOF'
[Unit]
Description=shellwise VM test suite (from the share disk)
# After the rest of the boot, so the suite sees a settled system.
After=multi-user.target
# Either way the VM is done: the host reads the results off the share disk.
SuccessAction=poweroff-force
FailureAction=poweroff-force
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/shellwise-vm-entry
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=infinity
[Install]
WantedBy=multi-user.target
EOF
chroot "$ROOT" systemctl enable shellwise-vm-entry.service
chroot "$ROOT" systemctl set-default multi-user.target
# No logins, no timers, no network waits: only what the suite needs runs.
for u in getty@tty1.service serial-getty@ttyS0.service console-getty.service \
  systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
  e2scrub_reap.service fstrim.timer systemd-networkd-wait-online.service \
  systemd-update-utmp.service systemd-update-utmp-runlevel.service; do
  chroot "$ROOT" systemctl mask "$u" >/dev/null 2>&1 || true
done
passwd_root=$(chroot "$ROOT" passwd -l root 2>&1) || echo "warning: $passwd_root"

echo "== kernel and initramfs"
kernel=$(ls "$ROOT"/boot/vmlinuz-* | sort -V | tail -1)
initrd=$(ls "$ROOT"/boot/initrd.img-* | sort -V | tail -1)
cp "$kernel" "$OUT/vmlinuz"
cp "$initrd" "$OUT/initrd.img"
basename "$kernel" | sed 's/^vmlinuz-//' >"$OUT/kernel-version"
# Not needed inside: the kernel comes from the host side.
rm -f "$ROOT"/boot/vmlinuz-* "$ROOT"/boot/initrd.img-*
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/* "$ROOT"/usr/share/doc \
  "$ROOT"/usr/share/man "$ROOT"/usr/share/locale/*
cleanup

echo "== rootfs.img (mkfs.ext4 -d)"
used_mb=$(du -sm "$ROOT" | cut -f1)
size_mb=$((used_mb + used_mb / 2 + 512))
rm -f "$OUT/rootfs.img"
timeout 600 mkfs.ext4 -q -F -L swroot -E root_owner=0:0 -d "$ROOT" "$OUT/rootfs.img" "${size_mb}M"
rm -rf "$ROOT"
echo "rootfs: ${used_mb} MiB of files in a ${size_mb} MiB image; kernel $(cat "$OUT/kernel-version")"
