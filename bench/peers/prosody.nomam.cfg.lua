-- NO-ARCHIVE variant of prosody.cfg.lua (bench/xmpp.ts target `prosody-nomam`): the same profile with
-- mod_mam not loaded, so messages are routed but not persisted — the issue 13 reference for routing
-- cost (the project's reference peers: ../shared/peers/prosody.nomam.cfg.lua). Placeholders as there.
--
-- Prosody (Debian bookworm: 0.12.3) profile for bench/xmpp.ts — started by the bench in the
-- foreground (`prosody -F --config …`) on loopback with its own temporary folder and free ports;
-- never the system service. Adapted from the project's reference peer configurations.
-- Placeholders filled in by bench/lib/xmpp-peers.ts: @ROOT@, @C2S_PORT@, @HTTP_PORT@.
-- WebSocket endpoint: ws://127.0.0.1:@HTTP_PORT@/xmpp-websocket
--
-- Persistence ("persistence on"): mod_mam archives every chat message (default_archive_policy = true)
-- in SQLite through LuaDBI (package lua-dbi-sqlite3) — one row in the sender's and one in the
-- recipient's archive; mod_offline stores messages for users without a session (unused by the bench).

data_path = "@ROOT@/data"
pidfile = "@ROOT@/prosody.pid"
log = { warn = "@ROOT@/prosody.log" }
certificates = "@ROOT@/certs"

interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { @C2S_PORT@ }
c2s_interfaces = { "127.0.0.1" }
s2s_ports = { }
http_ports = { @HTTP_PORT@ }
http_interfaces = { "127.0.0.1" }
https_ports = { }
c2s_direct_tls_ports = { }
component_ports = { }

modules_enabled = {
  "roster"; "saslauth"; "disco"; "ping";
  "offline"; "smacks"; "websocket"; "http"; "lastactivity";
}
-- limits/c2s_limits off: rate limits must not be the bottleneck.
modules_disabled = { "s2s"; "limits"; "tls"; "c2s_limits"; }

-- Plaintext password store: PLAIN logins cost no PBKDF2 (as ejabberd's plain storage), and the bench
-- writes the accounts straight into the SQL store (prosodyctl register is one process per user).
authentication = "internal_plain"
c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = true
-- ws:// on loopback counts as secure, so PLAIN is offered there.
consider_websocket_secure = true
cross_domain_websocket = true

storage = "sql"
sql = { driver = "SQLite3", database = "prosody.sqlite" }
archive_expires_after = "never"
default_archive_policy = true
max_archive_query_results = 1000
offline_messages_max = 1000000

-- Raised in case mod_limits is loaded anyway.
limits = {
  c2s = { rate = "1000mb/s"; burst = "10s"; };
  c2s_unauthed = { rate = "1000mb/s"; burst = "10s"; };
}
c2s_stanza_size_limit = 10485760
websocket_frame_buffer_limit = 10485760
websocket_frame_fragment_limit = 1000
websocket_max_frame_size = 10485760
smacks_max_queue_size = 100000
smacks_max_unacked_stanzas = 0
network_settings = {
  tcp_backlog = 8192;
  read_timeout = 3600;
  max_send_buffer_size = 16777216;
}
statistics = nil

VirtualHost "localhost"
