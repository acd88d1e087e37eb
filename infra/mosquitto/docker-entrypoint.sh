#!/bin/sh
# Initialises the dynamic security file with the admin client on first start,
# then runs the broker with the same configuration as the native runner.
set -eu
: "${MQTT_ADMIN_USERNAME:?set MQTT_ADMIN_USERNAME}"
: "${MQTT_ADMIN_PASSWORD:?set MQTT_ADMIN_PASSWORD}"
if [ ! -f /mosquitto/data/dynamic-security.json ]; then
  mosquitto_ctrl dynsec init /mosquitto/data/dynamic-security.json "$MQTT_ADMIN_USERNAME" "$MQTT_ADMIN_PASSWORD"
  chown mosquitto:mosquitto /mosquitto/data/dynamic-security.json
fi
exec mosquitto -c /mosquitto/config/mosquitto.conf
