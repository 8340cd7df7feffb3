/**
 * Real `journalctl -o json` output, captured by others on real machines and published; used verbatim
 * (one JSON object per line, as journalctl prints them):
 *
 * - NGINX_STARTING: from the DigitalOcean tutorial "How To Use Journalctl to View and Manipulate
 *   Systemd Logs" by Justin Ellingwood (2015,
 *   https://www.digitalocean.com/community/tutorials/how-to-use-journalctl-to-view-and-manipulate-systemd-logs),
 *   `journalctl -b -u nginx -o json` on systemd of that time, which printed `"KEY" : "value"` with spaces.
 * - INCUS_OSD_READY: from lxc/incus-os, incus-osd/internal/rest/api_debug.go (the swagger example of
 *   GET /1.0/debug/log, which returns `journalctl -o json` lines), systemd 257-era compact format.
 * - PODMAN_BYTES / PODMAN_NULL: from a public Go test whose comment says the sample is based on real
 *   `journalctl -o json` output of podman 5.8.2 / systemd 257: MESSAGE as a byte array (it holds a
 *   terminal escape and a tab) and MESSAGE null. It carries no __CURSOR; the lines used to test
 *   resuming (REPLAY) are the incus-osd capture with its cursor, and the nginx capture.
 */
export const NGINX_STARTING =
  '{ "__CURSOR" : "s=13a21661cf4948289c63075db6c25c00;i=116f1;b=81b58db8fd9046ab9f847ddb82a2fa2d;m=19f0daa;t=50e33c33587ae;x=e307daadb4858635", "__REALTIME_TIMESTAMP" : "1422990364739502", "__MONOTONIC_TIMESTAMP" : "27200938", "_BOOT_ID" : "81b58db8fd9046ab9f847ddb82a2fa2d", "PRIORITY" : "6", "_UID" : "0", "_GID" : "0", "_CAP_EFFECTIVE" : "3fffffffff", "_MACHINE_ID" : "752737531a9d1a9c1e3cb52a4ab967ee", "_HOSTNAME" : "desktop", "SYSLOG_FACILITY" : "3", "CODE_FILE" : "src/core/unit.c", "CODE_LINE" : "1402", "CODE_FUNCTION" : "unit_status_log_starting_stopping_reloading", "SYSLOG_IDENTIFIER" : "systemd", "MESSAGE_ID" : "7d4958e842da4a758f6c1cdc7b36dcc5", "_TRANSPORT" : "journal", "_PID" : "1", "_COMM" : "systemd", "_EXE" : "/usr/lib/systemd/systemd", "_CMDLINE" : "/usr/lib/systemd/systemd", "_SYSTEMD_CGROUP" : "/", "UNIT" : "nginx.service", "MESSAGE" : "Starting A high performance web server and a reverse proxy server...", "_SOURCE_REALTIME_TIMESTAMP" : "1422990364737973" }'

export const INCUS_OSD_READY =
  '{"MESSAGE":"2025-11-04 16:07:01 INFO System is ready release=202511041601","PRIORITY":"6","SYSLOG_FACILITY":"3","SYSLOG_IDENTIFIER":"incus-osd","_BOOT_ID":"800f36431cb84ddbacbff7fd5539d359","_CAP_EFFECTIVE":"1ffffffffff","_CMDLINE":"/usr/local/bin/incus-osd","_COMM":"incus-osd","_EXE":"/usr/local/bin/incus-osd","_GID":"0","_HOSTNAME":"af94e64e-1993-41b6-8f10-a8eebb828fce","_MACHINE_ID":"af94e64e199341b68f10a8eebb828fce","_PID":"688","_RUNTIME_SCOPE":"system","_SELINUX_CONTEXT":"unconfined\\n","_STREAM_ID":"2cad567611724cb0ac38369beeff4921","_SYSTEMD_CGROUP":"/system.slice/incus-osd.service","_SYSTEMD_INVOCATION_ID":"8b2d8aabff73448dafab917f4eaaeacc","_SYSTEMD_SLICE":"system.slice","_SYSTEMD_UNIT":"incus-osd.service","_TRANSPORT":"stdout","_UID":"0","__CURSOR":"s=55e9886cc9024eb7ad4367e9061be6ce;i=7a6;b=800f36431cb84ddbacbff7fd5539d359;m=241064e;t=642c705aba083;x=e88fc1e4f70c128a","__MONOTONIC_TIMESTAMP":"37815886","__REALTIME_TIMESTAMP":"1762272421322883","__SEQNUM":"1958","__SEQNUM_ID":"55e9886cc9024eb7ad4367e9061be6ce"}'

export const PODMAN_BYTES = '{"__REALTIME_TIMESTAMP":"1790516152035000","SYSLOG_IDENTIFIER":"mcctl-j1","CONTAINER_NAME":"mcctl-j1","MESSAGE":[27,91,51,50,109,73,78,70,79,9,100,111,110,101,10]}'

export const PODMAN_NULL = '{"__REALTIME_TIMESTAMP":"1790516153000000","SYSLOG_IDENTIFIER":"systemd","MESSAGE":null}'

/**
 * What the fake journalctl on the bench host replays. The entry without a cursor goes first: a resumed
 * journalctl (--after-cursor) starts after the last entry that had one, as the real one would.
 */
export const REPLAY = [PODMAN_BYTES, NGINX_STARTING, INCUS_OSD_READY]
