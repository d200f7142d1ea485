/* bench-events.c: the client side of bench/run: event latency, sync and bus
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A D-Bus client of a running offhookd (on $DBUS_SESSION_BUS_ADDRESS) that
 * also sits between the daemon and the PBX simulator as a TCP relay, so one
 * process sees both ends of an event's way with one clock:
 *
 *   pbxsim ──► relay (stamps each ARI event as it is handed to the daemon)
 *          ──► offhookd ──► dbus-daemon ──► this client (stamps each signal
 *              as GDBus reads it, in a connection filter, off the main loop)
 *
 * Events and signals are matched by what they name, not by order:
 *   ChannelCreated of a channel in state Ring (a phone dials)
 *       → InterfacesAdded of Session/<channel id>   (the session starts)
 *   ChannelHold / ChannelUnhold of a channel C
 *       → PropertiesChanged State on-hold / in-call of the session whose
 *         Channels (from its InterfacesAdded and PropertiesChanged) hold C
 * A hold undone before the daemon's next main-loop turn has no signal (the
 * skeleton coalesces), and the unhold of a call held before the daemon
 * connected changes nothing it knows: both count as unmatched, not as
 * latency. `sync --then-run` and `run` print the latencies with --dump PATH
 * writing every event and signal seen, to check the matching by hand.
 *
 * The relay removes Sec-WebSocket-Extensions from the daemon's upgrade
 * request: Asterisk does not do permessage-deflate (pbxsim refuses it too;
 * this is a guard).
 *
 *   bench-events run  --sim-port P [--warmup S] [--duration S] [--pid PID]...
 *   bench-events sync --sim-port P [--users N] [--sessions N] [--gmo-runs N]
 *       [--then-run]  (after the sync figures, "synced" on stderr; a line on
 *                      stdin starts a window like run's)
 *   bench-events gmo  [--gmo-runs N]
 *   bench-events drain --sim-port P [--warmup S] [--duration S] [--pid PID]...
 *       (no daemon: reads the events socket itself; pbxsim's own ceiling)
 *
 * Common options: --user U --password P --extension E --application A
 * (ARI credentials for Account.Login), --no-login (already logged in),
 * --direct (log in to pbxsim itself, no relay, no latencies).
 * Prints one JSON object per line on stdout. Asserts nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>

#define BUS_NAME "org.offhook.Offhook1"
#define ROOT_PATH "/org/offhook/Offhook1"
#define SESSION_PREFIX ROOT_PATH "/Session/"
#define USER_PREFIX ROOT_PATH "/User/"
#define IFACE_PREFIX "org.offhook.Offhook1."
#define GRACE_NS (2 * G_GINT64_CONSTANT (1000000000))

/* --- options ----------------------------------------------------------- */

static int sim_port;
static double warmup_s = 5.0;
static double duration_s = 20.0;
static char *ari_user = "offhook";
static char *ari_password = "secret";
static char *extension = "100";
static char *application = "offhook-bench";
static gboolean no_login;
static gboolean direct;
static gboolean keep_deflate;
static int expect_users = -1;
static int expect_sessions = -1;
static int gmo_runs = 5;
static double names_timeout_s = 120.0;
static GArray *pids;
static gboolean then_run;
static char *dump_path;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* --- what was seen ------------------------------------------------------ */

typedef enum
{
  KIND_CREATED = 'C',
  KIND_HOLD = 'H',
  KIND_UNHOLD = 'U',
} Kind;

typedef struct
{
  gint64 t;
  char kind;
  char *key; /* the escaped session path element */
} Stamp;

static GMutex lock;
static GArray *marks; /* Stamp: ARI events handed to the daemon */
static GArray *sigs;  /* Stamp: D-Bus signals received */
static gint64 events_relayed;
static gint64 bytes_relayed;
static gint64 signals_received;
static gint64 sessions_added;
static gint64 sessions_removed;
static gint64 users_added;
static gboolean deflate_seen;
static char *account_state;
static gint64 connected_at;
static guint connected_users;
static guint connected_sessions_added;
static guint connected_sessions_removed;
static GHashTable *channel_sessions; /* escaped channel id → session path element */
static GHashTable *named_users;      /* user path element → TRUE, FullName non-empty */
static gint64 last_name_at;
static guint settled_names;
static gint64 settled_at;

/* Same as oh_bus_escape_path_element() in the daemon. */
static char *
escape_element (const char *id, gssize len)
{
  GString *out = g_string_new (NULL);

  if (len < 0)
    len = strlen (id);
  for (gssize i = 0; i < len; i++)
    {
      guchar c = id[i];

      if (g_ascii_isalnum (c))
        g_string_append_c (out, c);
      else
        g_string_append_printf (out, "_%02x", c);
    }
  return g_string_free (out, FALSE);
}

static void
add_stamp (GArray *array, gint64 t, char kind, char *key)
{
  Stamp s = { t, kind, key };

  g_array_append_val (array, s);
}

/* --- the relay ---------------------------------------------------------- */

typedef struct
{
  GString *buf;  /* the tail of the stream not yet cut into events */
  GArray *found; /* Stamp */
} Scanner;

static const char *
find (const char *hay, const char *end, const char *needle)
{
  return hay < end ? memmem (hay, end - hay, needle, strlen (needle)) : NULL;
}

static const char *
find_last (const char *hay, const char *end, const char *needle)
{
  const char *last = NULL, *p = hay;

  while ((p = find (p, end, needle)) != NULL)
    {
      last = p;
      p++;
    }
  return last;
}

/* The value of "key": "value" after @from, or NULL. */
static gboolean
string_field (const char *from,
              const char *end,
              const char *key_quoted, /* "\"id\": \"" */
              const char **value,
              gsize *value_len)
{
  const char *p = find (from, end, key_quoted), *q;

  if (p == NULL)
    return FALSE;
  p += strlen (key_quoted);
  q = memchr (p, '"', end - p);
  if (q == NULL)
    return FALSE;
  *value = p;
  *value_len = q - p;
  return TRUE;
}

/* One event's text, as pbxsim (and Asterisk) lay it out: "type" first,
 * "asterisk_id" last. */
static void
scan_event (const char *text, const char *end, gint64 t, GArray *found)
{
  static const char type_key[] = "{\"type\": \"";
  const char *type = find_last (text, end, type_key);
  const char *value, *state;
  gsize value_len, state_len;
  char kind;

  if (type == NULL)
    return;
  type += strlen (type_key);
  if (g_str_has_prefix (type, "ChannelCreated\""))
    kind = KIND_CREATED;
  else if (g_str_has_prefix (type, "ChannelHold\""))
    kind = KIND_HOLD;
  else if (g_str_has_prefix (type, "ChannelUnhold\""))
    kind = KIND_UNHOLD;
  else
    return;
  if (!string_field (type, end, "\"channel\": {\"id\": \"", &value, &value_len))
    return;
  if (kind == KIND_CREATED
      && (!string_field (value, end, "\"state\": \"", &state, &state_len) || state_len != 4
          || memcmp (state, "Ring", 4) != 0))
    return;
  add_stamp (found, t, kind, escape_element (value, value_len));
}

static void
scan (Scanner *sc, const char *data, gsize len, gint64 t)
{
  static const char end_key[] = "\"asterisk_id\": \"";
  const char *p, *start, *end;
  gsize used;
  gint64 n = 0;

  g_string_append_len (sc->buf, data, len);
  start = sc->buf->str;
  end = sc->buf->str + sc->buf->len;
  if (!deflate_seen && find (start, end, "Sec-WebSocket-Extensions: permessage-deflate"))
    deflate_seen = TRUE;
  while ((p = find (start, end, end_key)) != NULL)
    {
      scan_event (start, p, t, sc->found);
      start = p + strlen (end_key);
      n++;
    }
  g_mutex_lock (&lock);
  events_relayed += n;
  bytes_relayed += len;
  if (sc->found->len)
    {
      g_array_append_vals (marks, sc->found->data, sc->found->len);
      g_array_set_size (sc->found, 0);
    }
  g_mutex_unlock (&lock);
  used = start - sc->buf->str;
  /* Bound what is kept of a stream without events (REST answers). */
  if (sc->buf->len - used > 4 * 1024 * 1024)
    used = sc->buf->len - 64;
  g_string_erase (sc->buf, 0, used);
}

/* Drops the Sec-WebSocket-Extensions header of a request, in place. */
static gsize
strip_extensions (char *data, gsize len)
{
  static const char header[] = "\r\nSec-WebSocket-Extensions:";
  gsize n = strlen (header);

  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_strncasecmp (data + i, header, n) == 0)
      {
        char *eol = g_strstr_len (data + i + 2, len - i - 2, "\r\n");

        if (eol == NULL)
          break;
        memmove (data + i, eol, data + len - eol);
        len -= eol - (data + i);
      }
  return len;
}

typedef struct
{
  int from;
  int to;
  gboolean downstream; /* PBX → daemon */
  gint *refs;
  int *fds;
} Pump;

static gboolean
write_all (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static gpointer
pump_thread (gpointer data)
{
  Pump *pump = data;
  Scanner sc = { g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (Stamp)) };
  char *buf = g_malloc (256 * 1024);

  for (;;)
    {
      ssize_t n = read (pump->from, buf, 256 * 1024);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      gint64 t = now_ns (); /* before the write: the daemon may answer at once */

      if (!pump->downstream && !keep_deflate)
        n = strip_extensions (buf, n);
      if (!write_all (pump->to, buf, n))
        break;
      if (pump->downstream)
        scan (&sc, buf, n, t);
    }
  shutdown (pump->to, SHUT_WR);
  shutdown (pump->from, SHUT_RD);
  if (g_atomic_int_dec_and_test (pump->refs))
    {
      close (pump->fds[0]);
      close (pump->fds[1]);
      g_free (pump->fds);
      g_free (pump->refs);
    }
  g_string_free (sc.buf, TRUE);
  g_array_unref (sc.found);
  g_free (buf);
  g_free (pump);
  return NULL;
}

static int
connect_upstream (void)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;

  addr.sin_family = AF_INET;
  addr.sin_port = htons (sim_port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *)&addr, sizeof addr) < 0)
    {
      close (fd);
      return -1;
    }
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static gpointer
accept_thread (gpointer data)
{
  int listen_fd = GPOINTER_TO_INT (data);

  for (;;)
    {
      int fd = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
      int up, one = 1;
      Pump *a, *b;
      gint *refs;
      int *fds;

      if (fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          break;
        }
      setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      up = connect_upstream ();
      if (up < 0)
        {
          close (fd);
          continue;
        }
      refs = g_new (gint, 1);
      *refs = 2;
      fds = g_new (int, 2);
      fds[0] = fd;
      fds[1] = up;
      a = g_new0 (Pump, 1);
      *a = (Pump){ fd, up, FALSE, refs, fds };
      b = g_new0 (Pump, 1);
      *b = (Pump){ up, fd, TRUE, refs, fds };
      g_thread_unref (g_thread_new ("up", pump_thread, a));
      g_thread_unref (g_thread_new ("down", pump_thread, b));
    }
  return NULL;
}

static int
start_relay (void)
{
  struct sockaddr_in addr = { 0 };
  socklen_t alen = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen (fd, 64) < 0
      || getsockname (fd, (struct sockaddr *)&addr, &alen) < 0)
    g_error ("relay: %s", g_strerror (errno));
  g_thread_unref (g_thread_new ("accept", accept_thread, GINT_TO_POINTER (fd)));
  return ntohs (addr.sin_port);
}

/* --- the D-Bus side ----------------------------------------------------- */

/* Which session a channel belongs to, from the Session's Channels. */
static void
note_channels (const char *session_element, GVariant *channels)
{
  GVariantIter iter;
  const char *id;

  g_variant_iter_init (&iter, channels);
  while (g_variant_iter_next (&iter, "&s", &id))
    g_hash_table_replace (channel_sessions, escape_element (id, -1), g_strdup (session_element));
}

static void
note_properties (const char *path, GVariant *body, gint64 t)
{
  const char *iface;
  g_autoptr (GVariant) changed = NULL;
  const char *value;

  if (!g_variant_is_of_type (body, G_VARIANT_TYPE ("(sa{sv}as)")))
    return;
  g_variant_get (body, "(&s@a{sv}@as)", &iface, &changed, NULL);
  if (g_str_has_prefix (path, SESSION_PREFIX) && g_str_equal (iface, IFACE_PREFIX "Session"))
    {
      g_autoptr (GVariant) channels
          = g_variant_lookup_value (changed, "Channels", G_VARIANT_TYPE ("as"));

      if (channels)
        note_channels (path + strlen (SESSION_PREFIX), channels);
      if (g_variant_lookup (changed, "State", "&s", &value))
        {
          if (g_str_equal (value, "on-hold"))
            add_stamp (sigs, t, KIND_HOLD, g_strdup (path + strlen (SESSION_PREFIX)));
          else if (g_str_equal (value, "in-call"))
            add_stamp (sigs, t, KIND_UNHOLD, g_strdup (path + strlen (SESSION_PREFIX)));
        }
    }
  else if (g_str_has_prefix (path, USER_PREFIX) && g_str_equal (iface, IFACE_PREFIX "User"))
    {
      if (g_variant_lookup (changed, "FullName", "&s", &value) && *value
          && !g_hash_table_contains (named_users, path))
        {
          g_hash_table_add (named_users, g_strdup (path));
          last_name_at = t;
        }
    }
  else if (g_str_equal (path, ROOT_PATH) && g_str_equal (iface, IFACE_PREFIX "Account"))
    {
      if (g_variant_lookup (changed, "State", "&s", &value))
        {
          g_free (account_state);
          account_state = g_strdup (value);
          if (g_str_equal (value, "connected") && connected_at == 0)
            {
              connected_at = t;
              connected_users = users_added;
              connected_sessions_added = sessions_added;
              connected_sessions_removed = sessions_removed;
            }
        }
    }
}

static void
note_added (GVariant *body, gint64 t)
{
  const char *path;
  g_autoptr (GVariant) ifaces = NULL;

  if (!g_variant_is_of_type (body, G_VARIANT_TYPE ("(oa{sa{sv}})")))
    return;
  g_variant_get (body, "(&o@a{sa{sv}})", &path, &ifaces);
  if (g_str_has_prefix (path, SESSION_PREFIX))
    {
      g_autoptr (GVariant) props
          = g_variant_lookup_value (ifaces, IFACE_PREFIX "Session", G_VARIANT_TYPE ("a{sv}"));
      g_autoptr (GVariant) channels
          = props ? g_variant_lookup_value (props, "Channels", G_VARIANT_TYPE ("as")) : NULL;

      sessions_added++;
      add_stamp (sigs, t, KIND_CREATED, g_strdup (path + strlen (SESSION_PREFIX)));
      if (channels)
        note_channels (path + strlen (SESSION_PREFIX), channels);
    }
  else if (g_str_has_prefix (path, USER_PREFIX))
    {
      g_autoptr (GVariant) props
          = g_variant_lookup_value (ifaces, IFACE_PREFIX "User", G_VARIANT_TYPE ("a{sv}"));
      const char *name;

      users_added++;
      if (props && g_variant_lookup (props, "FullName", "&s", &name) && *name
          && !g_hash_table_contains (named_users, path))
        {
          g_hash_table_add (named_users, g_strdup (path));
          last_name_at = t;
        }
    }
}

/* Runs in GDBus's worker thread as each message is read: the time stamp
 * does not wait for the main loop. */
static GDBusMessage *
on_filter (GDBusConnection *connection,
           GDBusMessage *message,
           gboolean incoming,
           gpointer user_data)
{
  gint64 t = now_ns ();
  const char *member, *path;
  GVariant *body;

  if (!incoming || g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_SIGNAL)
    return message;
  member = g_dbus_message_get_member (message);
  path = g_dbus_message_get_path (message);
  body = g_dbus_message_get_body (message);
  if (member == NULL || path == NULL || body == NULL || !g_str_has_prefix (path, ROOT_PATH))
    return message;

  g_mutex_lock (&lock);
  signals_received++;
  if (g_str_equal (member, "PropertiesChanged"))
    note_properties (path, body, t);
  else if (g_str_equal (member, "InterfacesAdded"))
    note_added (body, t);
  else if (g_str_equal (member, "InterfacesRemoved"))
    {
      const char *removed;

      g_variant_get (body, "(&o@as)", &removed, NULL);
      if (g_str_has_prefix (removed, SESSION_PREFIX))
        sessions_removed++;
    }
  g_mutex_unlock (&lock);
  return message;
}

static void
on_signal (GDBusConnection *connection,
           const char *sender,
           const char *path,
           const char *iface,
           const char *member,
           GVariant *params,
           gpointer user_data)
{
  /* Only here so that the bus routes the daemon's signals to us. */
}

static GDBusConnection *
connect_bus (void)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  if (bus == NULL)
    {
      g_printerr ("bench-events: no session bus: %s\n", error->message);
      exit (1);
    }
  g_dbus_connection_add_filter (bus, on_filter, NULL, NULL);
  g_dbus_connection_signal_subscribe (bus, BUS_NAME, NULL, NULL, NULL, NULL,
                                      G_DBUS_SIGNAL_FLAGS_NONE, on_signal, NULL, NULL);
  return bus;
}

static char *
get_state (GDBusConnection *bus)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (
      bus, BUS_NAME, ROOT_PATH, "org.freedesktop.DBus.Properties", "Get",
      g_variant_new ("(ss)", IFACE_PREFIX "Account", "State"), G_VARIANT_TYPE ("(v)"),
      G_DBUS_CALL_FLAGS_NONE, 10000, NULL, NULL);
  if (reply == NULL)
    return g_strdup ("?");
  g_variant_get (reply, "(v)", &value);
  return g_variant_dup_string (value, NULL);
}

static void
spin (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* Logs in at @server; returns when Account.State is connected (the time of
 * that PropertiesChanged, or of the poll that saw it), or exits. */
static gint64
login (GDBusConnection *bus, const char *server, gint64 *t_login)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  GVariantBuilder opts;
  gint64 deadline;

  g_mutex_lock (&lock);
  connected_at = 0;
  g_mutex_unlock (&lock);
  g_variant_builder_init (&opts, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&opts, "{sv}", "extension", g_variant_new_string (extension));
  g_variant_builder_add (&opts, "{sv}", "application", g_variant_new_string (application));
  *t_login = now_ns ();
  reply = g_dbus_connection_call_sync (
      bus, BUS_NAME, ROOT_PATH, IFACE_PREFIX "Account", "Login",
      g_variant_new ("(sssa{sv})", server, ari_user, ari_password, &opts), NULL,
      G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &error);
  if (reply == NULL)
    {
      g_printerr ("bench-events: Login failed: %s\n", error->message);
      exit (1);
    }
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  for (;;)
    {
      gint64 t;

      g_mutex_lock (&lock);
      t = connected_at;
      g_mutex_unlock (&lock);
      if (t)
        return t;
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *state = get_state (bus);

          g_printerr ("bench-events: not connected after 120 s (State %s)\n", state);
          exit (1);
        }
      spin (0.005);
    }
}

/* --- process figures ------------------------------------------------------ */

static gboolean
read_cpu_ticks (int pid, guint64 *ticks)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  p = strrchr (text, ')'); /* the command may contain spaces */
  if (p == NULL)
    return FALSE;
  fields = g_strsplit (p + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return FALSE;
  /* fields[0] is field 3 (state); utime is 14, stime 15 */
  *ticks = g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
  return TRUE;
}

static long
read_status_kb (int pid, const char *key)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strstr (text, key)) == NULL)
    return -1;
  return strtol (p + strlen (key) + 1, NULL, 10);
}

/* --- statistics ----------------------------------------------------------- */

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted, double p)
{
  gsize i;

  if (sorted->len == 0)
    return -1;
  i = (gsize)(p / 100.0 * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

static void
print_latencies (const char *name, GArray *ms, guint unmatched)
{
  g_array_sort (ms, cmp_double);
  printf ("\"%s\": {\"n\": %u, \"unmatched\": %u, \"p50_ms\": %.3f, \"p90_ms\": %.3f, "
          "\"p99_ms\": %.3f, \"p999_ms\": %.3f, \"max_ms\": %.3f}",
          name, ms->len, unmatched, percentile (ms, 50), percentile (ms, 90), percentile (ms, 99),
          percentile (ms, 99.9), percentile (ms, 100));
}

static int
cmp_stamp (gconstpointer a, gconstpointer b)
{
  const Stamp *x = a, *y = b;
  int c = strcmp (x->key, y->key);

  if (c)
    return c;
  if (x->kind != y->kind)
    return x->kind - y->kind;
  return (x->t > y->t) - (x->t < y->t);
}

/* For each mark in [from, to), the first signal of the same kind and key at
 * or after it, each signal used once. Both arrays sorted by key, kind, time. */
static void
match (gint64 from,
       gint64 to,
       GArray *all,
       GArray *created,
       GArray *holds,
       guint *unmatched_created,
       guint *unmatched_holds)
{
  g_autoptr (GHashTable) held = NULL;
  guint j = 0;

  /* A hold names a channel; its signal comes from the channel's session
   * (named after the call's first channel, which need not be the one held,
   * e.g. for calls found by the sync). */
  for (guint i = 0; i < marks->len; i++)
    {
      Stamp *m = &g_array_index (marks, Stamp, i);
      const char *session
          = m->kind == KIND_CREATED ? NULL : g_hash_table_lookup (channel_sessions, m->key);

      if (session && !g_str_equal (session, m->key))
        {
          g_free (m->key);
          m->key = g_strdup (session);
        }
    }
  g_array_sort (marks, cmp_stamp);
  g_array_sort (sigs, cmp_stamp);
  held = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < marks->len; i++)
    {
      Stamp *m = &g_array_index (marks, Stamp, i);

      if (m->kind == KIND_HOLD && !g_hash_table_contains (held, m->key))
        g_hash_table_insert (held, m->key, m);
    }
  for (guint i = 0; i < marks->len; i++)
    {
      Stamp *m = &g_array_index (marks, Stamp, i);
      gboolean found = FALSE;
      Stamp *first_hold;

      /* A call already on hold when the daemon connected: ARI's channel
       * list does not say so, so its unhold changes nothing anybody saw. */
      if (m->kind == KIND_UNHOLD
          && ((first_hold = g_hash_table_lookup (held, m->key)) == NULL || first_hold->t > m->t))
        continue;

      /* advance j to the first signal with key/kind ≥ m's and t ≥ m->t */
      while (j < sigs->len)
        {
          Stamp *s = &g_array_index (sigs, Stamp, j);
          int c = strcmp (s->key, m->key);

          if (c < 0 || (c == 0 && s->kind < m->kind)
              || (c == 0 && s->kind == m->kind && s->t < m->t))
            j++;
          else
            break;
        }
      if (j < sigs->len)
        {
          Stamp *s = &g_array_index (sigs, Stamp, j);

          Stamp *next = i + 1 < marks->len ? &g_array_index (marks, Stamp, i + 1) : NULL;

          /* A hold undone before the daemon told anybody has no signal of
           * its own (the skeleton coalesces per main-loop turn): count it
           * unmatched rather than take the next hold's signal. */
          if (next && strcmp (next->key, m->key) == 0 && next->kind == m->kind && next->t <= s->t)
            ;
          else if (strcmp (s->key, m->key) == 0 && s->kind == m->kind && s->t - m->t < GRACE_NS)
            {
              double ms = (s->t - m->t) / 1e6;

              found = TRUE;
              j++;
              if (m->t < from || m->t >= to)
                continue;
              g_array_append_val (all, ms);
              g_array_append_val (m->kind == KIND_CREATED ? created : holds, ms);
            }
        }
      if (m->t < from || m->t >= to)
        continue;
      if (!found)
        (*(m->kind == KIND_CREATED ? unmatched_created : unmatched_holds))++;
    }
}

/* Every mark and signal, for checking the matching by hand. */
static void
dump (const char *path, gint64 from, gint64 to)
{
  FILE *f = fopen (path, "w");

  if (f == NULL)
    return;
  fprintf (f, "# window %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", from, to);
  for (guint i = 0; i < marks->len; i++)
    {
      Stamp *m = &g_array_index (marks, Stamp, i);

      fprintf (f, "event %" G_GINT64_FORMAT " %c %s\n", m->t, m->kind, m->key);
    }
  for (guint i = 0; i < sigs->len; i++)
    {
      Stamp *m = &g_array_index (sigs, Stamp, i);

      fprintf (f, "signal %" G_GINT64_FORMAT " %c %s\n", m->t, m->kind, m->key);
    }
  {
    GHashTableIter iter;
    gpointer k, v;

    g_hash_table_iter_init (&iter, channel_sessions);
    while (g_hash_table_iter_next (&iter, &k, &v))
      fprintf (f, "channel %s %s\n", (char *)k, (char *)v);
  }
  fclose (f);
}

/* --- commands -------------------------------------------------------------- */

static void
print_pid_figures (guint64 *ticks0, double seconds)
{
  long hz = sysconf (_SC_CLK_TCK);

  printf ("\"processes\": {");
  for (guint i = 0; i < pids->len; i++)
    {
      int pid = g_array_index (pids, int, i);
      guint64 t1 = 0;

      read_cpu_ticks (pid, &t1);
      printf ("%s\"%d\": {\"cpu_s\": %.3f, \"cpu_pct\": %.2f, \"rss_kb\": %ld, \"hwm_kb\": %ld}",
              i ? ", " : "", pid, (double)(t1 - ticks0[i]) / hz,
              100.0 * (t1 - ticks0[i]) / hz / seconds, read_status_kb (pid, "VmRSS:"),
              read_status_kb (pid, "VmHWM:"));
    }
  printf ("}");
}

/* Waits until the user names (one REST request per user after "connected")
 * have stopped arriving for a second, so that the window measures events
 * only. */
static void
settle (gint64 t_connected)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)(names_timeout_s * G_USEC_PER_SEC);

  for (;;)
    {
      gint64 last;

      g_mutex_lock (&lock);
      last = MAX (last_name_at, t_connected);
      g_mutex_unlock (&lock);
      if (now_ns () - last > 1000000000 || g_get_monotonic_time () > deadline)
        break;
      spin (0.05);
    }
  g_mutex_lock (&lock);
  settled_names = g_hash_table_size (named_users);
  settled_at = now_ns ();
  g_mutex_unlock (&lock);
}

/* Warm-up, then the measured window: rates, CPU of --pid processes, and
 * the latency of every event of the window matched to its signal. Prints
 * one JSON object (one line). */
static void
measure_window (const char *server, gint64 t_login, gint64 t_connected)
{
  g_autofree guint64 *ticks0 = g_new0 (guint64, pids->len);
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) created = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) holds = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 from, to, ev0, ev1, sig0, sig1, added0, added1, bytes0, bytes1;
  guint un_created = 0, un_holds = 0;
  double seconds;

  spin (warmup_s);
  g_mutex_lock (&lock);
  from = now_ns ();
  ev0 = events_relayed;
  bytes0 = bytes_relayed;
  sig0 = signals_received;
  added0 = sessions_added;
  g_mutex_unlock (&lock);
  for (guint i = 0; i < pids->len; i++)
    read_cpu_ticks (g_array_index (pids, int, i), &ticks0[i]);
  /* bench/run starts its samplers and perf on these lines */
  g_printerr ("window-start\n");

  spin (duration_s);

  g_printerr ("window-end\n");
  g_mutex_lock (&lock);
  to = now_ns ();
  ev1 = events_relayed;
  bytes1 = bytes_relayed;
  sig1 = signals_received;
  added1 = sessions_added;
  g_mutex_unlock (&lock);
  seconds = (to - from) / 1e9;

  printf ("{\"server\": \"%s\", \"login_to_connected_ms\": %.1f, \"settle_ms\": %.1f, "
          "\"named_users\": %u, \"window_s\": %.3f, "
          "\"events\": %" G_GINT64_FORMAT ", \"events_per_s\": %.1f, \"mb_per_s\": %.2f, "
          "\"signals_per_s\": %.1f, \"sessions_per_s\": %.1f, \"deflate\": %s, ",
          server, t_login ? (t_connected - t_login) / 1e6 : 0.0, (settled_at - t_connected) / 1e6,
          settled_names, seconds, ev1 - ev0, (ev1 - ev0) / seconds,
          (bytes1 - bytes0) / seconds / 1e6, (sig1 - sig0) / seconds, (added1 - added0) / seconds,
          deflate_seen ? "true" : "false");
  print_pid_figures (ticks0, seconds);
  fflush (stdout);

  /* late signals of events near the end of the window */
  spin (GRACE_NS / 1e9);
  g_mutex_lock (&lock);
  match (from, to, all, created, holds, &un_created, &un_holds);
  if (dump_path)
    dump (dump_path, from, to);
  g_mutex_unlock (&lock);
  printf (", \"latency\": {");
  print_latencies ("all", all, un_created + un_holds);
  printf (", ");
  print_latencies ("session_added", created, un_created);
  printf (", ");
  print_latencies ("hold_state", holds, un_holds);
  printf ("}}\n");
  fflush (stdout);
}

static int
cmd_run (GDBusConnection *bus)
{
  g_autofree char *server = NULL;
  gint64 t_login = 0, t_connected;

  server = g_strdup_printf ("http://127.0.0.1:%d", direct ? sim_port : start_relay ());
  t_connected = no_login ? now_ns () : login (bus, server, &t_login);
  settle (t_connected);
  measure_window (server, t_login, t_connected);
  return 0;
}

/* A consumer that costs next to nothing: how fast can pbxsim send? */
static gpointer
drain_thread (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  Scanner sc = { g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (Stamp)) };
  char *buf = g_malloc (256 * 1024);

  for (;;)
    {
      ssize_t n = read (fd, buf, 256 * 1024);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      scan (&sc, buf, n, now_ns ());
      g_mutex_lock (&lock);
      for (guint i = 0; i < marks->len; i++)
        g_free (g_array_index (marks, Stamp, i).key);
      g_array_set_size (marks, 0);
      g_mutex_unlock (&lock);
    }
  return NULL;
}

static int
cmd_drain (void)
{
  g_autofree char *credentials = g_strdup_printf ("%s:%s", ari_user, ari_password);
  g_autofree char *auth = g_base64_encode ((const guchar *)credentials, strlen (credentials));
  g_autofree char *request = NULL;
  g_autofree guint64 *ticks0 = g_new0 (guint64, pids->len);
  gint64 from, to, ev0, ev1, b0, b1;
  int fd = connect_upstream ();
  double seconds;

  if (fd < 0)
    {
      g_printerr ("bench-events: cannot connect to port %d\n", sim_port);
      return 1;
    }
  request = g_strdup_printf ("GET /ari/events?app=%s&subscribeAll=true HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: b2ZmaG9vay1iZW5jaC0xMg==\r\n"
                             "Sec-WebSocket-Version: 13\r\nAuthorization: Basic %s\r\n\r\n",
                             application, sim_port, auth);
  write_all (fd, request, strlen (request));
  g_thread_unref (g_thread_new ("drain", drain_thread, GINT_TO_POINTER (fd)));

  spin (warmup_s);
  g_mutex_lock (&lock);
  from = now_ns ();
  ev0 = events_relayed;
  b0 = bytes_relayed;
  g_mutex_unlock (&lock);
  for (guint i = 0; i < pids->len; i++)
    read_cpu_ticks (g_array_index (pids, int, i), &ticks0[i]);
  spin (duration_s);
  g_mutex_lock (&lock);
  to = now_ns ();
  ev1 = events_relayed;
  b1 = bytes_relayed;
  g_mutex_unlock (&lock);
  seconds = (to - from) / 1e9;
  printf ("{\"window_s\": %.3f, \"events\": %" G_GINT64_FORMAT ", \"events_per_s\": %.1f, "
          "\"mb_per_s\": %.2f, ",
          seconds, ev1 - ev0, (ev1 - ev0) / seconds, (b1 - b0) / seconds / 1e6);
  print_pid_figures (ticks0, seconds);
  printf ("}\n");
  return 0;
}

typedef struct
{
  double ms;
  double cpu_ms; /* this client's, the reply's reading included */
  gsize bytes;
  guint users;
  guint sessions;
  guint named;
} GmoResult;

static double
process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static GmoResult
get_managed_objects (GDBusConnection *bus)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) objects = NULL;
  GmoResult r = { 0 };
  GVariantIter iter;
  const char *path;
  GVariant *ifaces;
  gint64 t0 = now_ns ();
  double cpu0 = process_cpu_ms ();

  reply = g_dbus_connection_call_sync (
      bus, BUS_NAME, ROOT_PATH, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", NULL,
      G_VARIANT_TYPE ("(a{oa{sa{sv}}})"), G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &error);
  r.ms = (now_ns () - t0) / 1e6;
  r.cpu_ms = process_cpu_ms () - cpu0;
  if (reply == NULL)
    {
      g_printerr ("bench-events: GetManagedObjects failed: %s\n", error->message);
      exit (1);
    }
  r.bytes = g_variant_get_size (reply);
  objects = g_variant_get_child_value (reply, 0);
  g_variant_iter_init (&iter, objects);
  while (g_variant_iter_next (&iter, "{&o@a{sa{sv}}}", &path, &ifaces))
    {
      if (g_str_has_prefix (path, USER_PREFIX))
        {
          g_autoptr (GVariant) props = g_variant_lookup_value (ifaces, IFACE_PREFIX "User", NULL);
          const char *name;

          r.users++;
          if (props && g_variant_lookup (props, "FullName", "&s", &name) && *name)
            r.named++;
        }
      else if (g_str_has_prefix (path, SESSION_PREFIX))
        r.sessions++;
      g_variant_unref (ifaces);
    }
  return r;
}

/* GetManagedObjects over a socket of our own, as a client library that
 * does not build a GVariant tree of the reply would (sd-bus, dbus-next…):
 * the time until the whole reply is in, i.e. what the daemon and
 * dbus-daemon cost, without GDBus's ~40 ns per byte of parsing. */
static gboolean
read_exactly (GInputStream *in,
              guint8       *buf,
              gsize         len)
{
  gsize got = 0;

  return g_input_stream_read_all (in, buf, len, &got, NULL, NULL) && got == len;
}

static GByteArray *
raw_read_message (GInputStream *in)
{
  GByteArray *msg = g_byte_array_sized_new (16);
  gssize needed;

  g_byte_array_set_size (msg, 16);
  if (!read_exactly (in, msg->data, 16) ||
      (needed = g_dbus_message_bytes_needed (msg->data, 16, NULL)) < 16)
    {
      g_byte_array_unref (msg);
      return NULL;
    }
  g_byte_array_set_size (msg, needed);
  if (!read_exactly (in, msg->data + 16, needed - 16))
    {
      g_byte_array_unref (msg);
      return NULL;
    }
  return msg;
}

static gboolean
raw_send (GOutputStream *out,
          GDBusMessage  *message,
          guint32        serial)
{
  g_autofree guchar *blob = NULL;
  gsize len;

  g_dbus_message_set_serial (message, serial);
  blob = g_dbus_message_to_blob (message, &len, G_DBUS_CAPABILITY_FLAGS_NONE, NULL);
  return blob && g_output_stream_write_all (out, blob, len, NULL, NULL, NULL);
}

/* Returns the median of @runs in ms, or -1 when something failed. */
static double
raw_get_managed_objects (int runs)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *auth = NULL;
  g_autofree char *uid = g_strdup_printf ("%u", (unsigned) getuid ());
  const char *bus_address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *path;
  GInputStream *in;
  GOutputStream *out;
  char line[256];
  gsize n = 0;
  guint32 serial = 1;

  if (bus_address == NULL || (path = strstr (bus_address, "unix:path=")) == NULL)
    return -1;
  path += strlen ("unix:path=");
  {
    g_autofree char *socket_path = g_strndup (path, strcspn (path, ",;"));

    address = g_unix_socket_address_new (socket_path);
  }
  conn = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  if (conn == NULL)
    return -1;
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));

  /* SASL EXTERNAL with our uid in hex, as every D-Bus client does */
  {
    GString *hex = g_string_new (NULL);

    for (const char *c = uid; *c; c++)
      g_string_append_printf (hex, "%02x", *c);
    auth = g_strdup_printf ("AUTH EXTERNAL %s\r\n", hex->str);
    g_string_free (hex, TRUE);
  }
  if (!g_output_stream_write_all (out, "", 1, NULL, NULL, NULL) ||
      !g_output_stream_write_all (out, auth, strlen (auth), NULL, NULL, NULL))
    return -1;
  while (n < sizeof line - 1 && g_input_stream_read (in, line + n, 1, NULL, NULL) == 1 &&
         line[n] != '\n')
    n++;
  line[n] = '\0';
  if (!g_str_has_prefix (line, "OK ") ||
      !g_output_stream_write_all (out, "BEGIN\r\n", 7, NULL, NULL, NULL))
    return -1;

  {
    g_autoptr (GDBusMessage) hello = g_dbus_message_new_method_call (
        "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello");
    g_autoptr (GByteArray) reply = NULL;

    if (!raw_send (out, hello, serial++) || (reply = raw_read_message (in)) == NULL)
      return -1;
  }
  for (int i = 0; i < runs; i++)
    {
      g_autoptr (GDBusMessage) call = g_dbus_message_new_method_call (
          BUS_NAME, ROOT_PATH, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects");
      gint64 t0 = now_ns ();
      double ms;

      if (!raw_send (out, call, serial++))
        return -1;
      /* signals the daemon sends meanwhile are not for us: no match rules */
      for (;;)
        {
          g_autoptr (GByteArray) reply = raw_read_message (in);

          if (reply == NULL)
            return -1;
          if (reply->data[1] == G_DBUS_MESSAGE_TYPE_METHOD_RETURN ||
              reply->data[1] == G_DBUS_MESSAGE_TYPE_ERROR)
            break;
        }
      ms = (now_ns () - t0) / 1e6;
      g_array_append_val (times, ms);
    }
  g_array_sort (times, cmp_double);
  return percentile (times, 50);
}

static void
print_gmo (GDBusConnection *bus)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint64 *ticks0 = g_new0 (guint64, pids->len);
  GmoResult r = { 0 };
  long hz = sysconf (_SC_CLK_TCK);
  double client_cpu = 0;

  for (guint i = 0; i < pids->len; i++)
    read_cpu_ticks (g_array_index (pids, int, i), &ticks0[i]);
  for (int i = 0; i < gmo_runs; i++)
    {
      r = get_managed_objects (bus);
      g_array_append_val (times, r.ms);
      client_cpu += r.cpu_ms;
    }
  g_array_sort (times, cmp_double);
  /* CPU time per call: what the wall time would be on an idle machine,
   * near enough (the daemon builds the reply, dbus-daemon passes it on,
   * this client reads it) */
  printf ("\"gmo\": {\"runs\": %u, \"min_ms\": %.2f, \"median_ms\": %.2f, \"max_ms\": %.2f, "
          "\"bytes\": %zu, \"users\": %u, \"sessions\": %u, \"named_users\": %u, "
          "\"client_cpu_ms\": %.1f, \"cpu_ms\": [",
          times->len, percentile (times, 0), percentile (times, 50), percentile (times, 100),
          r.bytes, r.users, r.sessions, r.named, client_cpu / MAX (gmo_runs, 1));
  for (guint i = 0; i < pids->len; i++)
    {
      guint64 t1 = ticks0[i];

      read_cpu_ticks (g_array_index (pids, int, i), &t1);
      printf ("%s%.1f", i ? ", " : "", 1000.0 * (t1 - ticks0[i]) / hz / MAX (gmo_runs, 1));
    }
  printf ("], \"raw_median_ms\": %.2f}", raw_get_managed_objects (gmo_runs));
}

static int
cmd_sync (GDBusConnection *bus)
{
  g_autofree char *server = NULL;
  gint64 t_login = 0, t_connected, t_names = 0, deadline;
  int daemon_pid = pids->len ? g_array_index (pids, int, 0) : 0;
  long rss_connected, rss_names;
  guint64 sync_ticks0 = 0, sync_ticks1 = 0;
  guint named = 0;

  server = g_strdup_printf ("http://127.0.0.1:%d", direct ? sim_port : start_relay ());
  if (daemon_pid)
    read_cpu_ticks (daemon_pid, &sync_ticks0);
  t_connected = login (bus, server, &t_login);
  if (daemon_pid)
    read_cpu_ticks (daemon_pid, &sync_ticks1);
  rss_connected = daemon_pid ? read_status_kb (daemon_pid, "VmRSS:") : -1;

  /* The names come after "connected", one REST request per user. */
  deadline = g_get_monotonic_time () + (gint64)(names_timeout_s * G_USEC_PER_SEC);
  for (;;)
    {
      gint64 quiet;

      g_mutex_lock (&lock);
      named = g_hash_table_size (named_users);
      t_names = last_name_at;
      g_mutex_unlock (&lock);
      quiet = (now_ns () - MAX (t_names, t_connected)) / 1000;
      if ((expect_users >= 0 && named >= (guint)expect_users) || quiet > 5 * G_USEC_PER_SEC
          || g_get_monotonic_time () > deadline)
        break;
      spin (0.02);
    }
  spin (0.5);
  rss_names = daemon_pid ? read_status_kb (daemon_pid, "VmRSS:") : -1;

  /* The objects were all exported, with one InterfacesAdded each, before
   * the State changed: the counts are those the filter saw by then. */
  printf ("{\"server\": \"%s\", \"login_to_connected_ms\": %.1f, "
          "\"at_connected\": {\"users\": %u, \"sessions\": %u, \"sessions_added\": %u, "
          "\"sessions_removed\": %u}, "
          "\"expect_users\": %d, \"expect_sessions\": %d, \"named_users\": %u, "
          "\"login_to_names_ms\": %.1f, \"sync_cpu_ms\": %.0f, "
          "\"rss_kb\": {\"connected\": %ld, \"names\": %ld, ",
          server, (t_connected - t_login) / 1e6, connected_users,
          connected_sessions_added - connected_sessions_removed, connected_sessions_added,
          connected_sessions_removed, expect_users, expect_sessions, named,
          t_names > t_login ? (t_names - t_login) / 1e6 : -1.0,
          1000.0 * (sync_ticks1 - sync_ticks0) / sysconf (_SC_CLK_TCK), rss_connected, rss_names);
  {
    /* the GetManagedObjects below build a reply of every object */
    GmoResult r = get_managed_objects (bus);

    printf ("\"after_one_gmo\": %ld}, \"first_gmo_ms\": %.2f, ",
            daemon_pid ? read_status_kb (daemon_pid, "VmRSS:") : -1, r.ms);
  }
  print_gmo (bus);
  printf ("}\n");
  fflush (stdout);

  if (then_run)
    {
      char line[64];

      g_mutex_lock (&lock);
      settled_names = g_hash_table_size (named_users);
      settled_at = now_ns ();
      g_mutex_unlock (&lock);
      /* bench/run starts the other clients and the load, then says go */
      g_printerr ("synced\n");
      if (fgets (line, sizeof line, stdin) == NULL)
        return 1;
      measure_window (server, t_login, t_connected);
    }
  return 0;
}

static int
cmd_gmo (GDBusConnection *bus)
{
  printf ("{");
  print_gmo (bus);
  printf ("}\n");
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) pid_args = NULL;
  GDBusConnection *bus;
  const char *cmd;
  GOptionEntry entries[] = {
    { "sim-port", 0, 0, G_OPTION_ARG_INT, &sim_port, "pbxsim's port", "P" },
    { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &warmup_s, "seconds before the window", "S" },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration_s, "seconds measured", "S" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &ari_user, "ARI user", "U" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &ari_password, "ARI password", "P" },
    { "extension", 0, 0, G_OPTION_ARG_STRING, &extension, "own extension", "E" },
    { "application", 0, 0, G_OPTION_ARG_STRING, &application, "Stasis application", "A" },
    { "no-login", 0, 0, G_OPTION_ARG_NONE, &no_login, "the daemon is connected already", NULL },
    { "direct", 0, 0, G_OPTION_ARG_NONE, &direct, "no relay (no latency figures)", NULL },
    { "keep-deflate", 0, 0, G_OPTION_ARG_NONE, &keep_deflate, "let permessage-deflate through",
      NULL },
    { "pid", 0, 0, G_OPTION_ARG_STRING_ARRAY, &pid_args, "processes to measure", "PID" },
    { "users", 0, 0, G_OPTION_ARG_INT, &expect_users, "sync: users expected", "N" },
    { "sessions", 0, 0, G_OPTION_ARG_INT, &expect_sessions, "sync: sessions expected", "N" },
    { "gmo-runs", 0, 0, G_OPTION_ARG_INT, &gmo_runs, "GetManagedObjects calls", "N" },
    { "dump", 0, 0, G_OPTION_ARG_FILENAME, &dump_path, "write every event and signal seen there",
      "PATH" },
    { "then-run", 0, 0, G_OPTION_ARG_NONE, &then_run,
      "sync: then read a line on stdin and measure a window like run", NULL },
    { "names-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &names_timeout_s, "sync: wait for names", "S" },
    { NULL }
  };

  context = g_option_context_new ("run|sync|gmo|drain");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message : "bench-events run|sync|gmo [OPTION…]");
      return 2;
    }
  cmd = argv[1];
  pids = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; pid_args && pid_args[i]; i++)
    {
      int pid = atoi (pid_args[i]);

      g_array_append_val (pids, pid);
    }
  marks = g_array_new (FALSE, FALSE, sizeof (Stamp));
  sigs = g_array_new (FALSE, FALSE, sizeof (Stamp));
  named_users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  channel_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!g_str_equal (cmd, "gmo") && sim_port <= 0)
    {
      g_printerr ("bench-events: --sim-port is needed\n");
      return 2;
    }
  if (g_str_equal (cmd, "drain"))
    return cmd_drain ();
  bus = connect_bus ();
  if (g_str_equal (cmd, "run"))
    return cmd_run (bus);
  if (g_str_equal (cmd, "sync"))
    return cmd_sync (bus);
  if (g_str_equal (cmd, "gmo"))
    return cmd_gmo (bus);
  g_printerr ("bench-events: unknown command %s\n", cmd);
  return 2;
}
