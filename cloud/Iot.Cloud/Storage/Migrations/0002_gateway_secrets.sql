-- A gateway's MQTT password, as a salted PBKDF2 hash (see Registry/GatewaySecrets.cs); null until one is set.
ALTER TABLE gateways ADD COLUMN secret_hash TEXT;
