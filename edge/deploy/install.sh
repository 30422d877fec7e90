#!/usr/bin/env bash
# Installs the gateway on a Raspberry Pi-class board (Debian/Raspberry Pi OS, arm64) from a self-contained publish folder.
#   sudo ./install.sh PUBLISH_DIR [GATEWAY_ID]
# PUBLISH_DIR is the output of: dotnet publish edge/Iot.Edge -c Release -r linux-arm64 --self-contained
# Idempotent: run it again to upgrade; the configuration and the outbox are kept.
set -euo pipefail

publish=${1:?usage: sudo ./install.sh PUBLISH_DIR [GATEWAY_ID]}
gateway_id=${2:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo)" >&2; exit 2; }
[ -x "$publish/iot-gateway" ] || { echo "install.sh: $publish/iot-gateway not found; publish first" >&2; exit 2; }

# A system user in the groups that own the buses (created by Raspberry Pi OS; made here if missing).
for group in gpio i2c spi dialout; do getent group "$group" >/dev/null || groupadd --system "$group"; done
id iot-gateway >/dev/null 2>&1 || useradd --system --home-dir /var/lib/iot-gateway --shell /usr/sbin/nologin iot-gateway
usermod -a -G gpio,i2c,spi,dialout iot-gateway

install -d -m 0755 /opt/iot-gateway
cp -a "$publish/." /opt/iot-gateway/
install -d -m 0750 -o iot-gateway -g iot-gateway /var/lib/iot-gateway
install -d -m 0755 /etc/iot-gateway

if [ ! -f /etc/iot-gateway/appsettings.json ]; then
  [ -n "$gateway_id" ] || { echo "install.sh: first install needs GATEWAY_ID (as registered in the cloud)" >&2; exit 2; }
  sed "s/\"Id\": \"CHANGE-ME\"/\"Id\": \"$gateway_id\"/" "$here/appsettings.example.json" > /etc/iot-gateway/appsettings.json
  chmod 0640 /etc/iot-gateway/appsettings.json
  chgrp iot-gateway /etc/iot-gateway/appsettings.json
  echo "install.sh: wrote /etc/iot-gateway/appsettings.json; edit Mqtt, Zones and Sensors, then: systemctl restart iot-gateway"
fi

install -m 0644 "$here/iot-gateway.service" /etc/systemd/system/iot-gateway.service
systemctl daemon-reload
systemctl enable --now iot-gateway
systemctl --no-pager status iot-gateway || true
