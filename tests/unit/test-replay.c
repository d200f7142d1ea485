/* test-replay.c: the recorded Asterisk traffic, replayed through the
 * decoder into the model, gives the users, presence, sessions, calls and
 * messages the recordings describe (suite conformance).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ari/oh-call-manager.h"
#include "ari/oh-chat.h"
#include "ari/oh-pbx.h"
#include "store/oh-store.h"

typedef struct {
  OhAccount     *account;
  OhUserList    *users;
  OhSessionList *sessions;
  OhPbx         *pbx;
  OhCallManager *calls;
  OhChat        *chat;
  OhStore       *store;
  char          *dir;
  GPtrArray     *log;        /* what happened, as strings */
  GPtrArray     *outcomes;   /* "caller>callee disposition direction" */
} Replay;

static char *
transcript_path (const char *name)
{
  const char *dir = g_getenv ("OFFHOOK_TRANSCRIPTS");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static void
log_presence (OhUser     *user,
              GParamSpec *pspec,
              Replay     *r)
{
  g_ptr_array_add (r->log, g_strdup_printf ("%s:%s", oh_user_get_id (user),
                                            oh_presence_to_string (oh_user_get_presence (user))));
}

static void
on_user_added (OhUserList *list,
               OhUser     *user,
               Replay     *r)
{
  g_signal_connect (user, "notify::presence", G_CALLBACK (log_presence), r);
}

static void
log_session_state (OhSession  *session,
                   GParamSpec *pspec,
                   Replay     *r)
{
  g_ptr_array_add (r->log, g_strdup_printf ("session:%s",
                                            oh_session_state_to_string (oh_session_get_state (session))));
}

static void
on_session_added (OhSessionList *list,
                  OhSession     *session,
                  Replay        *r)
{
  g_ptr_array_add (r->log, g_strdup_printf ("session+%s>%s", oh_session_get_caller (session),
                                            oh_session_get_callee (session)));
  g_signal_connect (session, "notify::state", G_CALLBACK (log_session_state), r);
}

static void
on_session_completed (OhSessionTracker *tracker,
                      OhSession        *session,
                      OhSessionOutcome *outcome,
                      Replay           *r)
{
  g_ptr_array_add (r->outcomes,
                   g_strdup_printf ("%s>%s %s %s%s", oh_session_get_caller (session),
                                    oh_session_get_callee (session),
                                    oh_history_disposition_to_string (outcome->disposition),
                                    oh_history_direction_to_string (outcome->direction),
                                    oh_session_get_answer_time (session) ? " talked" : ""));
}

static void
log_call_state (OhCall     *call,
                GParamSpec *pspec,
                Replay     *r)
{
  g_ptr_array_add (r->log, g_strdup_printf ("call:%s", oh_call_state_to_string (oh_call_get_state (call))));
}

static void
log_call_dtmf (OhCall     *call,
               const char *digit,
               Replay     *r)
{
  g_ptr_array_add (r->log, g_strdup_printf ("dtmf:%s", digit));
}

static void
on_call_added (OhCallManager *calls,
               OhCall        *call,
               Replay        *r)
{
  g_ptr_array_add (r->log, g_strdup_printf ("call+%s %s %s", oh_call_state_to_string (oh_call_get_state (call)),
                                            oh_call_get_remote_number (call),
                                            oh_call_get_remote_name (call)));
  g_signal_connect (call, "notify::state", G_CALLBACK (log_call_state), r);
  g_signal_connect (call, "dtmf-received", G_CALLBACK (log_call_dtmf), r);
}

static void
on_message (OhChat          *chat,
            OhStoredMessage *message,
            Replay          *r)
{
  g_ptr_array_add (r->log, g_strdup_printf ("message %s(%s)>%s: %s", message->from,
                                            message->from_name, message->to, message->body));
}

static Replay *
replay_new (void)
{
  Replay *r = g_new0 (Replay, 1);
  g_autofree char *db = NULL;

  r->log = g_ptr_array_new_with_free_func (g_free);
  r->outcomes = g_ptr_array_new_with_free_func (g_free);
  r->account = oh_account_new ();
  oh_account_set_application (r->account, "dialtone");
  oh_account_set_extension (r->account, "100");
  r->users = oh_user_list_new ();
  r->sessions = oh_session_list_new ();
  r->pbx = oh_pbx_new (r->account, r->users, r->sessions);
  r->calls = oh_call_manager_new (r->pbx, r->account, r->users);
  r->chat = oh_chat_new (r->pbx, r->account, r->users);
  r->dir = g_dir_make_tmp ("offhook-replay-XXXXXX", NULL);
  db = g_build_filename (r->dir, "offhook.db", NULL);
  r->store = oh_store_new (db, NULL);
  g_assert_nonnull (r->store);
  oh_chat_set_store (r->chat, r->store);

  g_signal_connect (r->users, "user-added", G_CALLBACK (on_user_added), r);
  g_signal_connect (r->sessions, "session-added", G_CALLBACK (on_session_added), r);
  g_signal_connect (oh_pbx_get_session_tracker (r->pbx), "session-completed",
                    G_CALLBACK (on_session_completed), r);
  g_signal_connect (r->calls, "call-added", G_CALLBACK (on_call_added), r);
  g_signal_connect (r->chat, "message-received", G_CALLBACK (on_message), r);
  return r;
}

static void
replay_free (Replay *r)
{
  g_autofree char *db = g_build_filename (r->dir, "offhook.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_object_unref (r->chat);
  g_object_unref (r->calls);
  g_object_unref (r->pbx);
  g_object_unref (r->sessions);
  g_object_unref (r->users);
  g_object_unref (r->account);
  g_object_unref (r->store);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (r->dir);
  g_free (r->dir);
  g_ptr_array_unref (r->log);
  g_ptr_array_unref (r->outcomes);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Replay, replay_free)

/* Endpoints 100-103 as 01-startup's GET /ari/endpoints shows them. */
static void
start_with_endpoints (Replay *r)
{
  const char *json =
    "[{\"technology\": \"PJSIP\", \"resource\": \"103\", \"state\": \"offline\", \"channel_ids\": []},"
    " {\"technology\": \"PJSIP\", \"resource\": \"102\", \"state\": \"offline\", \"channel_ids\": []},"
    " {\"technology\": \"PJSIP\", \"resource\": \"101\", \"state\": \"offline\", \"channel_ids\": []},"
    " {\"technology\": \"PJSIP\", \"resource\": \"100\", \"state\": \"offline\", \"channel_ids\": []}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) endpoints = oh_ari_endpoint_list_decode (json, strlen (json), &error);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  const char *names[] = { "Alice Anders", "Bob Brown", "Carol Chen", "Dave Diaz" };

  g_assert_no_error (error);
  oh_pbx_apply_snapshot (r->pbx, endpoints, none, none);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", 100 + i);

      oh_user_set_full_name (oh_user_list_lookup (r->users, id), names[i]);
    }
  g_ptr_array_set_size (r->log, 0);
}

/* Replays every event of a transcript; returns how many there were. */
static guint
replay_events (Replay     *r,
               const char *name,
               void      (*before) (Replay *, JsonObject *line))
{
  g_autofree char *path = transcript_path (name);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *line;

      if (*lines[i] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      line = json_node_get_object (json_parser_get_root (parser));
      if (before)
        before (r, line);
      if (g_str_equal (json_object_get_string_member (line, "kind"), "event"))
        {
          g_autofree char *text = json_to_string (json_object_get_member (line, "event"), FALSE);
          g_autoptr(OhAriEvent) event = oh_ari_event_decode (text, strlen (text), &error);

          g_assert_no_error (error);
          oh_pbx_handle_event (r->pbx, event);
          n++;
        }
    }
  return n;
}

static gboolean
log_has (Replay     *r,
         const char *entry)
{
  for (guint i = 0; i < r->log->len; i++)
    if (g_str_equal (g_ptr_array_index (r->log, i), entry))
      return TRUE;
  return FALSE;
}

static char *
log_filtered (Replay     *r,
              const char *prefix)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < r->log->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (r->log, i), prefix))
      g_string_append_printf (out, "%s%s", out->len ? " " : "", (char *) g_ptr_array_index (r->log, i));
  return g_string_free (out, FALSE);
}

static void
test_replay_startup (void)
{
  g_autoptr(Replay) r = replay_new ();
  OhUser *bob, *carol;
  g_autofree char *presence = NULL;

  start_with_endpoints (r);
  g_assert_cmpuint (oh_user_list_get_n_users (r->users), ==, 4);
  g_assert_cmpuint (replay_events (r, "01-startup.jsonl", NULL), ==, 14);

  /* 101 and 102 registered (available, one device each) and left again. */
  presence = log_filtered (r, "101:");
  g_assert_cmpstr (presence, ==, "101:available 101:offline");
  bob = oh_user_list_lookup (r->users, "101");
  carol = oh_user_list_lookup (r->users, "102");
  g_assert_cmpstr (oh_presence_to_string (oh_user_get_presence (bob)), ==, "offline");
  g_assert_cmpstr (oh_presence_to_string (oh_user_get_presence (carol)), ==, "offline");
  g_assert_null (oh_user_get_devices (bob)[0]);
  g_assert_true (log_has (r, "102:available"));
  g_assert_cmpstr (oh_user_get_full_name (bob), ==, "Bob Brown");
}

static void
test_replay_call_between_phones (void)
{
  g_autoptr(Replay) r = replay_new ();
  g_autofree char *sessions = NULL;

  start_with_endpoints (r);
  replay_events (r, "02-call-101-102.jsonl", NULL);

  /* One session, ringing, talking, held by 101's phone, talking, over. */
  sessions = log_filtered (r, "session");
  g_assert_cmpstr (sessions, ==,
                   "session+101>102 session:ringing session:in-call session:on-hold "
                   "session:in-call session:completed");
  g_assert_cmpuint (r->outcomes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (r->outcomes, 0), ==, "101>102 answered internal talked");
  g_assert_cmpuint (oh_session_list_get_size (r->sessions), ==, 0);
  /* Presence followed: 102 rang, both talked, both free again. */
  g_assert_true (log_has (r, "102:ringing"));
  g_assert_true (log_has (r, "101:on-hold") || log_has (r, "102:on-hold"));
  g_assert_cmpstr (oh_presence_to_string (oh_user_get_presence (oh_user_list_lookup (r->users, "102"))),
                   ==, "offline");
}

static void
test_replay_incoming_call (void)
{
  g_autoptr(Replay) r = replay_new ();
  g_autofree char *calls = NULL;

  start_with_endpoints (r);
  replay_events (r, "03-incoming-stasis-externalmedia.jsonl", NULL);

  /* The call to 100 rang the user, was answered, got a DTMF 5 from the
   * caller, and ended when the application hung up. */
  calls = log_filtered (r, "call");
  g_assert_cmpstr (calls, ==, "call+ringing-in 101 Bob Brown call:active call:ended");
  g_assert_true (log_has (r, "dtmf:5"));
  g_assert_cmpuint (r->outcomes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (r->outcomes, 0), ==, "101>100 answered internal talked");
}

static void
adopt_originated (Replay     *r,
                  JsonObject *line)
{
  JsonObject *response;

  /* The recording's application originated these; ours adopts each
   * originated channel as its REST answer arrives, as Dial() would. */
  if (!g_str_equal (json_object_get_string_member (line, "kind"), "rest") ||
      !g_str_equal (json_object_get_string_member (line, "method"), "POST") ||
      !g_str_has_prefix (json_object_get_string_member (line, "url"), "/ari/channels?endpoint="))
    return;
  response = json_object_get_object_member (line, "response");
  {
    g_autofree char *text = json_to_string (json_object_get_member (line, "response"), FALSE);
    g_autoptr(GError) error = NULL;
    g_autoptr(OhAriChannel) channel = oh_ari_channel_decode (text, strlen (text), &error);

    g_assert_no_error (error);
    g_assert_nonnull (response);
    oh_call_manager_adopt (r->calls, channel, NULL, FALSE);
  }
}

static void
test_replay_outgoing_call (void)
{
  g_autoptr(Replay) r = replay_new ();
  g_autofree char *calls = NULL;

  start_with_endpoints (r);
  replay_events (r, "04-outgoing-originate-transfer.jsonl", adopt_originated);

  /* Three calls to 102, each rang, was answered and ended (the
   * recording's transfers hand 102 on; the last one by continue). */
  calls = log_filtered (r, "call");
  g_assert_cmpstr (calls, ==,
                   "call+dialing 102 Carol Chen call:ringing-out call:active call:ended "
                   "call+dialing 102 Carol Chen call:ringing-out call:active call:ended "
                   "call+dialing 102 Carol Chen call:ringing-out call:active call:ended");
}

static void
test_replay_chat (void)
{
  g_autoptr(Replay) r = replay_new ();
  g_autofree char *messages = NULL;

  start_with_endpoints (r);
  replay_events (r, "05-chat-message.jsonl", NULL);

  /* Two messages 101 → 100 are the user's; the one 101 → 102 is not. */
  messages = log_filtered (r, "message");
  g_assert_cmpstr (messages, ==,
                   "message 101(Bob Brown)>100: Hello Alice (subscribeAll only) "
                   "message 101(Bob Brown)>100: Hello again, with an explicit endpoint:PJSIP/100 subscription");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/replay/startup", test_replay_startup);
  g_test_add_func ("/replay/call-between-phones", test_replay_call_between_phones);
  g_test_add_func ("/replay/incoming-call", test_replay_incoming_call);
  g_test_add_func ("/replay/outgoing-call", test_replay_outgoing_call);
  g_test_add_func ("/replay/chat", test_replay_chat);

  return g_test_run ();
}
