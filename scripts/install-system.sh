#!/usr/bin/env bash
# The Debian packages the fleet bench and the browser tests run: a real sshd, dockerd, a Secret
# Service on a private D-Bus, busybox for locally built images, docker-compose (v1, for Compose
# deploys), fish (a login shell that is not POSIX, for the remote-command tests), squid (a real corporate proxy for the
# proxy tests), nginx-light (the real `nginx -t` that validates edited configs), docker-registry with
# apache2-utils' htpasswd (a real registry with a login, for deploy pulls), and Chromium for Playwright.
set -euo pipefail
packages=(openssh-server sudo docker.io docker-compose busybox-static chromium fonts-dejavu-core fish squid nginx-light dbus dbus-x11 gnome-keyring libsecret-1-dev libsecret-tools ca-certificates procps iproute2 docker-registry apache2-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "dropdeck: these packages are missing: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "dropdeck: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
