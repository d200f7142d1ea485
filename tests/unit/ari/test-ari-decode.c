/* test-ari-decode.c: the ARI decoder against the recorded transcripts and bad input
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "ari/oh-ari-decode.h"
#include "ari/oh-ari-json.h"

/* The transcripts */

typedef struct
{
  char      *name;
  GPtrArray *lines;  /* JsonNode* of each line */
} Transcript;

static void
transcript_free (Transcript *transcript)
{
  g_free (transcript->name);
  g_ptr_array_unref (transcript->lines);
  g_free (transcript);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Transcript, transcript_free)

static const char *
transcripts_dir (void)
{
  const char *dir = g_getenv ("OFFHOOK_TRANSCRIPTS");

  g_assert_nonnull (dir);
  return dir;
}

static Transcript *
load_transcript (const char *name)
{
  g_autoptr(Transcript) transcript = g_new0 (Transcript, 1);
  g_autofree char *path = g_build_filename (transcripts_dir (), name, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  transcript->name = g_strdup (name);
  transcript->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonNode *node;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (transcript->lines, node);
    }

  return g_steal_pointer (&transcript);
}

static JsonObject *
line_object (Transcript *transcript,
             guint       i)
{
  return json_node_get_object (g_ptr_array_index (transcript->lines, i));
}

static const char *
line_kind (Transcript *transcript,
           guint       i)
{
  return json_object_get_string_member (line_object (transcript, i), "kind");
}

/* The WebSocket message of an event line, as text. */
static char *
event_text (Transcript *transcript,
            guint       i)
{
  return json_to_string (json_object_get_member (line_object (transcript, i), "event"), FALSE);
}

static OhAriEvent *
decode_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  OhAriEvent *event = oh_ari_event_decode (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (event);
  return event;
}

/* Every event of @name, decoded, in order. */
static GPtrArray *
decode_events (const char *name)
{
  g_autoptr(Transcript) transcript = load_transcript (name);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) oh_ari_event_unref);

  for (guint i = 0; i < transcript->lines->len; i++)
    {
      g_autofree char *text = NULL;

      if (g_strcmp0 (line_kind (transcript, i), "event") != 0)
        continue;
      text = event_text (transcript, i);
      g_ptr_array_add (events, decode_text (text));
    }

  return events;
}

static GPtrArray *
events_of_type (GPtrArray     *events,
                OhAriEventType type)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < events->len; i++)
    {
      OhAriEvent *event = g_ptr_array_index (events, i);

      if (event->type == type)
        g_ptr_array_add (found, event);
    }
  return found;
}

/* Types the daemon has no use for: only their name, application and
 * timestamp are read (see PART_UNUSED in oh-ari-decode.c). */
static gboolean
is_unused_type (OhAriEventType type)
{
  return type == OH_ARI_EVENT_CHANNEL_VARSET || type == OH_ARI_EVENT_CHANNEL_DIALPLAN
         || type == OH_ARI_EVENT_BRIDGE_CREATED;
}

static const char * const transcript_names[] = {
  "01-startup.jsonl",
  "02-call-101-102.jsonl",
  "03-incoming-stasis-externalmedia.jsonl",
  "04-outgoing-originate-transfer.jsonl",
  "05-chat-message.jsonl",
  "06-bad-input.jsonl",
};

/* Every event of every transcript decodes, fully typed. */
static void
test_transcript_events_all_decode (void)
{
  static const guint expected_counts[] = { 14, 109, 73, 249, 27, 9 };
  guint total = 0;

  for (guint f = 0; f < G_N_ELEMENTS (transcript_names); f++)
    {
      g_autoptr(Transcript) transcript = load_transcript (transcript_names[f]);
      guint count = 0;

      for (guint i = 0; i < transcript->lines->len; i++)
        {
          g_autofree char *text = NULL;
          g_autoptr(OhAriEvent) event = NULL;
          JsonObject *raw;

          if (g_strcmp0 (line_kind (transcript, i), "event") != 0)
            continue;
          raw = json_object_get_object_member (line_object (transcript, i), "event");
          text = event_text (transcript, i);
          event = decode_text (text);
          count++;

          /* Every type Asterisk sent in these scenarios is one we use. */
          g_assert_cmpint (event->type, !=, OH_ARI_EVENT_UNKNOWN);
          g_assert_cmpstr (event->type_name, ==, json_object_get_string_member (raw, "type"));
          g_assert_cmpstr (event->application, ==, "dialtone");
          g_assert_cmpint (event->timestamp, ==,
                           oh_ari_parse_time (json_object_get_string_member (raw, "timestamp")));
          g_assert_cmpint (event->timestamp, >, 0);
          if (is_unused_type (event->type))
            {
              g_assert_null (event->channel);
              g_assert_null (event->bridge);
              g_assert_null (event->variable);
              continue;
            }
          if (json_object_has_member (raw, "channel"))
            {
              JsonObject *channel = json_object_get_object_member (raw, "channel");

              g_assert_nonnull (event->channel);
              g_assert_cmpstr (event->channel->id, ==,
                               json_object_get_string_member (channel, "id"));
              g_assert_cmpstr (oh_ari_channel_state_to_string (event->channel->state), ==,
                               json_object_get_string_member (channel, "state"));
              g_assert_cmpint (event->channel->creation_time, >, 0);
            }
          if (json_object_has_member (raw, "bridge"))
            g_assert_cmpstr (event->bridge->id, ==,
                             json_object_get_string_member (
                               json_object_get_object_member (raw, "bridge"), "id"));
        }

      g_test_message ("%s: %u events", transcript_names[f], count);
      g_assert_cmpuint (count, ==, expected_counts[f]);
      total += count;
    }

  g_assert_cmpuint (total, ==, 481);
}

/* Which decoder the daemon uses for the answer to @method @url (without
 * "/ari"), or NULL for answers it has no use for. */
typedef enum {
  REST_UNTYPED,
  REST_INFO,
  REST_ENDPOINT,
  REST_ENDPOINT_LIST,
  REST_CHANNEL,
  REST_CHANNEL_LIST,
  REST_VARIABLE,
  REST_BRIDGE,
  REST_BRIDGE_LIST,
  REST_CONFIG,
} RestKind;

static RestKind
rest_kind (const char *method,
           const char *url)
{
  g_autofree char *path = g_strdup (url);
  g_auto(GStrv) parts = NULL;
  guint n;

  path[strcspn (path, "?")] = '\0';
  g_assert_true (g_str_has_prefix (path, "/ari/"));
  parts = g_strsplit (path + strlen ("/ari/"), "/", -1);
  n = g_strv_length (parts);

  if (g_str_equal (parts[0], "asterisk"))
    {
      if (n == 2 && g_str_equal (parts[1], "info"))
        return REST_INFO;
      if (n > 2 && g_str_equal (parts[1], "config"))
        return REST_CONFIG;
      return REST_UNTYPED; /* ping */
    }
  if (g_str_equal (parts[0], "endpoints"))
    return n == 3 ? REST_ENDPOINT : REST_ENDPOINT_LIST;
  if (g_str_equal (parts[0], "channels"))
    {
      if (n == 1)
        return g_str_equal (method, "GET") ? REST_CHANNEL_LIST : REST_CHANNEL;
      if (n == 2)
        return REST_CHANNEL; /* GET one, or POST externalMedia */
      if (n == 3 && g_str_equal (parts[2], "variable"))
        return REST_VARIABLE;
    }
  if (g_str_equal (parts[0], "bridges"))
    {
      if (n == 1)
        return g_str_equal (method, "GET") ? REST_BRIDGE_LIST : REST_BRIDGE;
      if (n == 2)
        return REST_BRIDGE;
    }
  /* deviceStates, applications: nothing the daemon reads. */
  g_assert_true (g_str_equal (parts[0], "deviceStates") || g_str_equal (parts[0], "applications"));
  return REST_UNTYPED;
}

static void
check_rest_answer (JsonObject *line)
{
  const char *method = json_object_get_string_member (line, "method");
  const char *url = json_object_get_string_member (line, "url");
  gint64 status = json_object_get_int_member (line, "status");
  JsonNode *response = json_object_get_member (line, "response");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (JSON_NODE_HOLDS_NULL (response))
    {
      g_assert_true (status == 204 || status == 202);
      return;
    }
  /* An HTML page is recorded as a string: the body is the text itself. */
  if (JSON_NODE_HOLDS_VALUE (response))
    text = g_strdup (json_node_get_string (response));
  else
    text = json_to_string (response, FALSE);
  length = strlen (text);

  if (status >= 400)
    {
      g_autofree char *message = oh_ari_error_message_decode (text, length);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (response))
        {
          g_assert_null (message);
          return;
        }
      object = json_node_get_object (response);
      g_assert_cmpstr (message, ==,
                       json_object_has_member (object, "message")
                         ? json_object_get_string_member (object, "message")
                         : json_object_get_string_member (object, "error"));
      return;
    }

  g_assert_cmpint (status, ==, 200);
  switch (rest_kind (method, url))
    {
    case REST_INFO:
      {
        g_autoptr(OhAriInfo) info = oh_ari_info_decode (text, length, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (info->version, ==, "23.4.1");
        break;
      }
    case REST_ENDPOINT:
      {
        g_autoptr(OhAriEndpoint) endpoint = oh_ari_endpoint_decode (text, length, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (endpoint->technology, ==, "PJSIP");
        break;
      }
    case REST_ENDPOINT_LIST:
      {
        g_autoptr(GPtrArray) list = oh_ari_endpoint_list_decode (text, length, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (list->len, ==, json_array_get_length (json_node_get_array (response)));
        break;
      }
    case REST_CHANNEL:
      {
        g_autoptr(OhAriChannel) channel = oh_ari_channel_decode (text, length, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (channel->id, ==,
                         json_object_get_string_member (json_node_get_object (response), "id"));
        break;
      }
    case REST_CHANNEL_LIST:
      {
        g_autoptr(GPtrArray) list = oh_ari_channel_list_decode (text, length, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (list->len, ==, json_array_get_length (json_node_get_array (response)));
        break;
      }
    case REST_VARIABLE:
      {
        g_autofree char *value = oh_ari_variable_decode (text, length, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (value, ==, "f11c87d5-c14b-4c45-9834-aa40c4be55a3");
        break;
      }
    case REST_BRIDGE:
      {
        g_autoptr(OhAriBridge) bridge = oh_ari_bridge_decode (text, length, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (bridge->id, ==,
                         json_object_get_string_member (json_node_get_object (response), "id"));
        break;
      }
    case REST_BRIDGE_LIST:
      {
        g_autoptr(GPtrArray) list = oh_ari_bridge_list_decode (text, length, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (list->len, ==, json_array_get_length (json_node_get_array (response)));
        break;
      }
    case REST_CONFIG:
      {
        g_autoptr(GHashTable) config = oh_ari_config_decode (text, length, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (g_hash_table_size (config), >, 10);
        break;
      }
    case REST_UNTYPED:
    default:
      g_assert_true (JSON_NODE_HOLDS_OBJECT (response) || JSON_NODE_HOLDS_ARRAY (response));
      break;
    }
}

/* Every REST answer of every transcript decodes with the decoder for it. */
static void
test_transcript_rest_all_decode (void)
{
  static const guint expected_counts[] = { 16, 2, 16, 32, 8, 49 };

  for (guint f = 0; f < G_N_ELEMENTS (transcript_names); f++)
    {
      g_autoptr(Transcript) transcript = load_transcript (transcript_names[f]);
      guint count = 0;

      for (guint i = 0; i < transcript->lines->len; i++)
        {
          if (g_strcmp0 (line_kind (transcript, i), "rest") != 0)
            continue;
          check_rest_answer (line_object (transcript, i));
          count++;
        }

      g_assert_cmpuint (count, ==, expected_counts[f]);
    }
}

static void
test_transcript_startup (void)
{
  g_autoptr(GPtrArray) events = decode_events ("01-startup.jsonl");
  g_autoptr(GPtrArray) contacts = events_of_type (events, OH_ARI_EVENT_CONTACT_STATUS_CHANGE);
  g_autoptr(GPtrArray) peers = events_of_type (events, OH_ARI_EVENT_PEER_STATUS_CHANGE);
  g_autoptr(GPtrArray) devices = events_of_type (events, OH_ARI_EVENT_DEVICE_STATE_CHANGED);
  g_autoptr(GPtrArray) endpoint_changes = events_of_type (events,
                                                          OH_ARI_EVENT_ENDPOINT_STATE_CHANGE);
  static const char * const statuses_101[] = { "NonQualified", "Reachable", "Removed" };
  static const gint64 roundtrips_101[] = { 0, 408, 0 };
  guint n_101 = 0;
  OhAriEvent *event;

  g_assert_cmpuint (contacts->len, ==, 6);
  for (guint i = 0; i < contacts->len; i++)
    {
      event = g_ptr_array_index (contacts, i);
      g_assert_nonnull (event->endpoint);
      g_assert_cmpstr (event->endpoint->technology, ==, "PJSIP");
      g_assert_cmpstr (event->contact_aor, ==, event->endpoint->resource);
      if (!g_str_equal (event->endpoint->resource, "101"))
        continue;
      g_assert_cmpstr (event->contact_uri, ==, "sip:101-0x56197b8376a0@127.0.0.1:5110");
      g_assert_cmpstr (event->contact_status, ==, statuses_101[n_101]);
      g_assert_cmpint (event->contact_roundtrip_usec, ==, roundtrips_101[n_101]);
      n_101++;
    }
  g_assert_cmpuint (n_101, ==, 3);

  g_assert_cmpuint (peers->len, ==, 4);
  event = g_ptr_array_index (peers, 0);
  g_assert_cmpstr (event->endpoint->resource, ==, "101");
  g_assert_cmpstr (event->peer_status, ==, "Reachable");
  g_assert_cmpstr (event->endpoint->state, ==, "online");
  event = g_ptr_array_index (peers, 2);
  g_assert_cmpstr (event->endpoint->resource, ==, "101");
  g_assert_cmpstr (event->peer_status, ==, "Unreachable");

  g_assert_cmpuint (devices->len, ==, 4);
  event = g_ptr_array_index (devices, 0);
  g_assert_cmpstr (event->device_name, ==, "PJSIP/101");
  g_assert_cmpstr (event->device_state, ==, "NOT_INUSE");
  event = g_ptr_array_index (devices, 3);
  g_assert_cmpstr (event->device_name, ==, "PJSIP/102");
  g_assert_cmpstr (event->device_state, ==, "UNAVAILABLE");

  /* No EndpointStateChange at all: registration shows up as the above. */
  g_assert_cmpuint (endpoint_changes->len, ==, 0);
}

/* The timestamp of the next event after @i that is not a device state. */
static gint64
next_timestamp (GPtrArray *events,
                guint      i)
{
  for (i++; i < events->len; i++)
    {
      OhAriEvent *event = g_ptr_array_index (events, i);

      if (event->type != OH_ARI_EVENT_DEVICE_STATE_CHANGED)
        return event->timestamp;
    }
  return G_MAXINT64;
}

static void
test_transcript_call (void)
{
  g_autoptr(GPtrArray) events = decode_events ("02-call-101-102.jsonl");
  g_autoptr(GPtrArray) dials = events_of_type (events, OH_ARI_EVENT_DIAL);
  g_autoptr(GPtrArray) destroyed = events_of_type (events, OH_ARI_EVENT_CHANNEL_DESTROYED);
  g_autoptr(GPtrArray) holds = events_of_type (events, OH_ARI_EVENT_CHANNEL_HOLD);
  g_autoptr(GPtrArray) unholds = events_of_type (events, OH_ARI_EVENT_CHANNEL_UNHOLD);
  g_autoptr(GPtrArray) bridges = events_of_type (events, OH_ARI_EVENT_BRIDGE_CREATED);
  g_autoptr(GPtrArray) entered = events_of_type (events, OH_ARI_EVENT_CHANNEL_ENTERED_BRIDGE);
  static const char * const dialstatuses[] = { "", "RINGING", "ANSWER" };
  OhAriEvent *event;
  gint64 previous = 0;
  guint backwards = 0;

  g_assert_cmpuint (dials->len, ==, G_N_ELEMENTS (dialstatuses));
  for (guint i = 0; i < dials->len; i++)
    {
      event = g_ptr_array_index (dials, i);
      g_assert_cmpstr (event->dialstatus, ==, dialstatuses[i]);
      g_assert_cmpstr (event->dialstring, ==, i == 0 ? "102" : "");
      /* The peer is the channel the event is about; the caller is 101. */
      g_assert_cmpstr (event->channel->name, ==, "PJSIP/102-00000001");
      g_assert_nonnull (event->caller);
      g_assert_cmpstr (event->caller->name, ==, "PJSIP/101-00000000");
      g_assert_cmpstr (event->caller->caller_name, ==, "Bob Brown");
      g_assert_cmpstr (event->caller->caller_number, ==, "101");
    }

  g_assert_cmpuint (destroyed->len, ==, 2);
  for (guint i = 0; i < destroyed->len; i++)
    {
      event = g_ptr_array_index (destroyed, i);
      g_assert_cmpint (event->cause, ==, 16);
      g_assert_cmpstr (event->cause_txt, ==, "Normal Clearing");
    }

  g_assert_cmpuint (holds->len, ==, 1);
  g_assert_cmpuint (unholds->len, ==, 1);
  event = g_ptr_array_index (holds, 0);
  g_assert_cmpstr (event->channel->name, ==, "PJSIP/101-00000000");

  /* BridgeCreated is of no use to the daemon: not decoded past its type. */
  g_assert_cmpuint (bridges->len, ==, 1);
  event = g_ptr_array_index (bridges, 0);
  g_assert_null (event->bridge);
  g_assert_cmpuint (entered->len, ==, 2);
  event = g_ptr_array_index (entered, 0);
  g_assert_cmpstr (event->bridge->bridge_type, ==, "mixing");
  g_assert_cmpstr (event->bridge->bridge_class, ==, "basic");
  event = g_ptr_array_index (entered, 1);
  g_assert_cmpuint (g_strv_length (event->bridge->channels), ==, 2);

  /* Channel events come in timestamp order, but DeviceStateChanged (another
   * Asterisk topic) may arrive before channel events a millisecond older:
   * order is the arrival order, not the timestamps. */
  for (guint i = 0; i < events->len; i++)
    {
      event = g_ptr_array_index (events, i);
      if (event->type == OH_ARI_EVENT_DEVICE_STATE_CHANGED)
        {
          backwards += event->timestamp > next_timestamp (events, i);
          continue;
        }
      g_assert_cmpint (event->timestamp, >=, previous);
      previous = event->timestamp;
    }
  g_assert_cmpuint (backwards, >, 0);
}

static void
test_transcript_incoming (void)
{
  g_autoptr(GPtrArray) events = decode_events ("03-incoming-stasis-externalmedia.jsonl");
  g_autoptr(GPtrArray) starts = events_of_type (events, OH_ARI_EVENT_STASIS_START);
  g_autoptr(GPtrArray) dtmf = events_of_type (events, OH_ARI_EVENT_CHANNEL_DTMF_RECEIVED);
  g_autoptr(GPtrArray) dials = events_of_type (events, OH_ARI_EVENT_DIAL);
  g_autoptr(Transcript) transcript = load_transcript ("03-incoming-stasis-externalmedia.jsonl");
  OhAriEvent *event;

  g_assert_cmpuint (starts->len, ==, 2);
  event = g_ptr_array_index (starts, 0);
  g_assert_cmpstrv (event->args, ((const char * const[]) { "incoming", NULL }));
  g_assert_cmpstr (event->channel->caller_number, ==, "101");
  g_assert_cmpint (event->channel->state, ==, OH_ARI_CHANNEL_STATE_RING);
  g_assert_cmpstr (event->channel->exten, ==, "100");
  event = g_ptr_array_index (starts, 1);
  g_assert_cmpuint (g_strv_length (event->args), ==, 0);
  g_assert_true (g_str_has_prefix (event->channel->name, "WebSocket/"));

  g_assert_cmpuint (dtmf->len, ==, 1);
  event = g_ptr_array_index (dtmf, 0);
  g_assert_cmpstr (event->digit, ==, "5");
  g_assert_cmpint (event->duration_ms, ==, 180);

  /* The media channel's Dial has no caller. */
  event = g_ptr_array_index (dials, 0);
  g_assert_null (event->caller);
  g_assert_cmpstr (event->dialstring, ==, "INCOMING");

  /* The externalMedia answer carries the media connection. */
  for (guint i = 0; i < transcript->lines->len; i++)
    {
      JsonObject *line = line_object (transcript, i);
      g_autoptr(OhAriChannel) channel = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      if (g_strcmp0 (line_kind (transcript, i), "rest") != 0
          || strstr (json_object_get_string_member (line, "url"), "externalMedia") == NULL)
        continue;
      text = json_to_string (json_object_get_member (line, "response"), FALSE);
      channel = oh_ari_channel_decode (text, strlen (text), &error);
      g_assert_no_error (error);
      g_assert_cmpint (channel->state, ==, OH_ARI_CHANNEL_STATE_DOWN);
      g_assert_cmpstr (oh_ari_channel_get_variable (channel, OH_ARI_VAR_MEDIA_CONNECTION_ID), ==,
                       "f11c87d5-c14b-4c45-9834-aa40c4be55a3");
      g_assert_cmpstr (oh_ari_channel_get_variable (channel, OH_ARI_VAR_MEDIA_FRAME_SIZE), ==,
                       "640");
      g_assert_null (oh_ari_channel_get_variable (channel, "NOPE"));
      return;
    }
  g_assert_not_reached ();
}

static void
test_transcript_outgoing (void)
{
  g_autoptr(GPtrArray) events = decode_events ("04-outgoing-originate-transfer.jsonl");
  g_autoptr(GPtrArray) starts = events_of_type (events, OH_ARI_EVENT_STASIS_START);
  g_autoptr(GPtrArray) dials = events_of_type (events, OH_ARI_EVENT_DIAL);
  OhAriEvent *event;

  g_assert_cmpuint (starts->len, ==, 6);
  event = g_ptr_array_index (starts, 0);
  g_assert_cmpstrv (event->args, ((const char * const[]) { "outgoing", "a", NULL }));
  g_assert_cmpstr (event->channel->caller_name, ==, "Alice Anders");
  g_assert_cmpint (event->channel->state, ==, OH_ARI_CHANNEL_STATE_UP);

  /* An originated call has no calling channel; the transfer's Dial does. */
  event = g_ptr_array_index (dials, 0);
  g_assert_null (event->caller);
  g_assert_cmpstr (event->channel->name, ==, "PJSIP/102-00000000");
  event = g_ptr_array_index (dials, dials->len - 1);
  g_assert_cmpstr (event->dialstatus, ==, "ANSWER");
  g_assert_cmpstr (event->channel->name, ==, "PJSIP/103-00000003");
  g_assert_cmpstr (event->caller->name, ==, "PJSIP/102-00000002");
}

static void
test_transcript_chat (void)
{
  g_autoptr(GPtrArray) events = decode_events ("05-chat-message.jsonl");
  g_autoptr(GPtrArray) messages = events_of_type (events, OH_ARI_EVENT_TEXT_MESSAGE_RECEIVED);
  static const struct
  {
    const char *to;
    const char *body;
  } expected[] = {
    { "pjsip:100@127.0.0.1", "Hello Alice (subscribeAll only)" },
    { "pjsip:100@127.0.0.1", "Hello again, with an explicit endpoint:PJSIP/100 subscription" },
    { "pjsip:102@127.0.0.1", "Hi Carol, this is Bob" },
  };

  g_assert_cmpuint (messages->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < messages->len; i++)
    {
      OhAriEvent *event = g_ptr_array_index (messages, i);

      /* The endpoint is the sender; the recipient is only in message.to. */
      g_assert_cmpstr (event->endpoint->technology, ==, "PJSIP");
      g_assert_cmpstr (event->endpoint->resource, ==, "101");
      g_assert_cmpstr (event->message_from, ==, "\"Bob Brown\" <sip:101@127.0.0.1>");
      g_assert_cmpstr (event->message_to, ==, expected[i].to);
      g_assert_cmpstr (event->message_body, ==, expected[i].body);
      g_assert_nonnull (event->message_variables);
      g_assert_cmpstr (g_hash_table_lookup (event->message_variables, "PJSIP_ENDPOINT"), ==,
                       "Bob Brown");
      g_assert_cmpstr (g_hash_table_lookup (event->message_variables, "CSeq"), ==, "2 MESSAGE");
      g_assert_null (event->channel);
    }
}

static void
test_transcript_config (void)
{
  g_autoptr(Transcript) transcript = load_transcript ("01-startup.jsonl");

  for (guint i = 0; i < transcript->lines->len; i++)
    {
      JsonObject *line = line_object (transcript, i);
      g_autoptr(GHashTable) config = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *name = NULL;
      g_autofree char *number = NULL;

      if (g_strcmp0 (line_kind (transcript, i), "rest") != 0
          || !g_str_equal (json_object_get_string_member (line, "url"),
                           "/ari/asterisk/config/dynamic/res_pjsip/endpoint/101"))
        continue;
      text = json_to_string (json_object_get_member (line, "response"), FALSE);
      config = oh_ari_config_decode (text, strlen (text), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (g_hash_table_lookup (config, "callerid"), ==, "\"Bob Brown\" <101>");
      g_assert_cmpstr (g_hash_table_lookup (config, "context"), ==, "internal");
      g_assert_true (oh_ari_parse_callerid (g_hash_table_lookup (config, "callerid"), &name,
                                            &number));
      g_assert_cmpstr (name, ==, "Bob Brown");
      g_assert_cmpstr (number, ==, "101");
      return;
    }
  g_assert_not_reached ();
}

/* Bad input */

static void
assert_event_error (const char *data,
                    gsize       length,
                    const char *mentions)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhAriEvent) event = oh_ari_event_decode (data, length, &error);

  g_assert_null (event);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  if (mentions != NULL && strstr (error->message, mentions) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, mentions);
}

static void
test_bad_json (void)
{
  static const char * const bad[] = {
    "",
    "   ",
    "not json",
    "{",
    "{\"type\": \"StasisStart\",",
    "{type: \"StasisStart\"}",
    "{\"type\": \"StasisStart\"}}",
    "{\"type\": \"A\"} {\"type\": \"B\"}",
    "{\"type\": \"A\"} x",
    "null",
    "42",
    "\"StasisStart\"",
    "[]",
    "[{\"type\": \"StasisStart\"}]",
    "{\"type\": \"Bogus\", \"timestamp\": 5}",
    "{\"type\": \"Bogus\", \"application\": []}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_event_error (bad[i], strlen (bad[i]), NULL);

  assert_event_error (NULL, 0, "Empty");
  /* Not UTF-8, and an embedded NUL. */
  assert_event_error ("{\"type\": \"\xff\"}", 13, NULL);
  assert_event_error ("{\"type\": \"A\"}\0", 14, NULL);
}

static void
test_missing_type (void)
{
  assert_event_error ("{}", 2, "'type' is missing");
  assert_event_error ("{\"application\": \"dialtone\"}", 27, "'type' is missing");
  assert_event_error ("{\"type\": 7}", 11, "'type' is not a string");
  assert_event_error ("{\"type\": null}", 14, "'type' is missing");
}

static char *
first_event_text (const char *file,
                  const char *type)
{
  g_autoptr(Transcript) transcript = load_transcript (file);

  for (guint i = 0; i < transcript->lines->len; i++)
    {
      JsonObject *event;

      if (g_strcmp0 (line_kind (transcript, i), "event") != 0)
        continue;
      event = json_object_get_object_member (line_object (transcript, i), "event");
      if (g_str_equal (json_object_get_string_member (event, "type"), type))
        return event_text (transcript, i);
    }
  g_assert_not_reached ();
}

/* @text with the member at dotted @path replaced by @value (JSON), or
 * removed if @value is NULL. */
static char *
mutate (const char *text,
        const char *path,
        const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (text, &error);
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object;
  guint last;

  g_assert_no_error (error);
  object = json_node_get_object (root);
  last = g_strv_length (parts) - 1;
  for (guint i = 0; i < last; i++)
    object = json_object_get_object_member (object, parts[i]);
  if (value == NULL)
    json_object_remove_member (object, parts[last]);
  else
    {
      JsonNode *node = json_from_string (value, &error);

      g_assert_no_error (error);
      json_object_set_member (object, parts[last], node);
    }
  return json_to_string (root, FALSE);
}

static void
assert_mutation_fails (const char *text,
                       const char *path,
                       const char *value,
                       const char *mentions)
{
  g_autofree char *bad = mutate (text, path, value);

  assert_event_error (bad, strlen (bad), mentions);
}

static void
assert_mutation_decodes (const char *text,
                         const char *path,
                         const char *value)
{
  g_autofree char *changed = mutate (text, path, value);
  g_autoptr(OhAriEvent) event = decode_text (changed);
}

static void
test_wrong_types (void)
{
  g_autofree char *state = first_event_text ("02-call-101-102.jsonl", "ChannelStateChange");
  g_autofree char *destroyed = first_event_text ("02-call-101-102.jsonl", "ChannelDestroyed");
  g_autofree char *bridge = first_event_text ("02-call-101-102.jsonl", "ChannelEnteredBridge");
  g_autofree char *dial = first_event_text ("02-call-101-102.jsonl", "Dial");
  g_autofree char *contact = first_event_text ("01-startup.jsonl", "ContactStatusChange");
  g_autofree char *start = first_event_text ("03-incoming-stasis-externalmedia.jsonl",
                                             "StasisStart");
  g_autofree char *text = first_event_text ("05-chat-message.jsonl", "TextMessageReceived");
  g_autofree char *device = first_event_text ("01-startup.jsonl", "DeviceStateChanged");
  g_autofree char *varset = first_event_text ("02-call-101-102.jsonl", "ChannelVarset");

  assert_mutation_fails (state, "channel.id", "42", "'channel.id' is not a string");
  assert_mutation_fails (state, "channel.id", NULL, "'channel.id' is missing");
  assert_mutation_fails (state, "channel.state", "\"Bogus\"", "'channel.state'");
  assert_mutation_fails (state, "channel.state", "true", "'channel.state' is not a string");
  assert_mutation_fails (state, "channel", NULL, "'channel' is missing");
  assert_mutation_fails (state, "channel", "[]", "'channel' is not an object");
  assert_mutation_fails (state, "channel.caller.name", "1", "'channel.caller.name'");
  assert_mutation_fails (state, "channel.caller", "\"101\"", "'channel.caller'");
  assert_mutation_fails (state, "channel.dialplan.exten", NULL, "'channel.dialplan.exten'");
  assert_mutation_fails (state, "channel.creationtime", "\"yesterday\"",
                         "'channel.creationtime' is not a valid time");
  assert_mutation_fails (state, "channel.channelvars", "{\"A\": 1}", "'channel.channelvars.A'");
  assert_mutation_fails (state, "timestamp", "\"2026-11-27\"", "'timestamp'");
  assert_mutation_fails (state, "timestamp", NULL, "'timestamp' is missing");
  assert_mutation_fails (state, "application", "1", "'application'");
  assert_mutation_fails (destroyed, "cause", "\"16\"", "'cause' is not an integer");
  assert_mutation_fails (destroyed, "cause", "16.5", "'cause' is not an integer");
  assert_mutation_fails (destroyed, "cause", "99999999999", "'cause' is out of range");
  assert_mutation_fails (destroyed, "cause_txt", NULL, "'cause_txt'");
  assert_mutation_fails (bridge, "bridge.channels", "[1]", "'bridge.channels[0]' is not a string");
  assert_mutation_fails (bridge, "bridge.channels", "\"a\"", "'bridge.channels' is not a list");
  assert_mutation_fails (bridge, "bridge.id", NULL, "'bridge.id'");
  assert_mutation_fails (dial, "peer", NULL, "'peer' is missing");
  assert_mutation_fails (dial, "peer.state", "\"Ringing a lot\"", "'peer.state'");
  assert_mutation_fails (dial, "caller.id", "[]", "'caller.id'");
  assert_mutation_fails (dial, "dialstatus", NULL, "'dialstatus'");
  assert_mutation_fails (contact, "contact_info.uri", "{}", "'contact_info.uri'");
  assert_mutation_fails (contact, "contact_info.roundtrip_usec", "\"fast\"",
                         "'contact_info.roundtrip_usec'");
  assert_mutation_fails (contact, "endpoint.channel_ids", NULL, "'endpoint.channel_ids'");
  assert_mutation_fails (start, "args", "[\"a\", 2]", "'args[1]'");
  assert_mutation_fails (start, "args", NULL, "'args'");
  assert_mutation_fails (text, "message.body", "5", "'message.body'");
  assert_mutation_fails (text, "message.variables", "[]", "'message.variables'");
  assert_mutation_fails (text, "endpoint.resource", NULL, "'endpoint.resource'");
  assert_mutation_fails (device, "device_state.state", NULL, "'device_state.state'");
  assert_mutation_fails (state, "channel.name", "null", "'channel.name' is missing");
  assert_mutation_fails (varset, "application", "[]", "'application' is not a string");
  assert_mutation_fails (varset, "timestamp", "\"2026-11-27\"", "'timestamp'");

  /* What the Swagger model leaves optional may be absent. */
  assert_mutation_decodes (dial, "caller", NULL);
  assert_mutation_decodes (dial, "dialstring", NULL);
  assert_mutation_decodes (varset, "channel", NULL);
  /* Nothing reads a ChannelVarset's channel, so nothing checks its fields. */
  assert_mutation_decodes (varset, "channel.name", "null");
  assert_mutation_decodes (text, "endpoint", NULL);
  assert_mutation_decodes (text, "message.variables", NULL);
  assert_mutation_decodes (contact, "contact_info.roundtrip_usec", NULL);
  assert_mutation_decodes (contact, "endpoint.state", NULL);
  /* Unknown members are not looked at, however odd. */
  assert_mutation_decodes (state, "channel.language", "[[[[{\"x\": [1, 2, null]}]]]]");
  assert_mutation_decodes (state, "channel.state", "\"Unknown (42)\"");
}

static void
test_optional_parts (void)
{
  g_autofree char *dial_text = first_event_text ("02-call-101-102.jsonl", "Dial");
  g_autofree char *no_caller = mutate (dial_text, "caller", NULL);
  g_autofree char *no_dialstring = mutate (dial_text, "dialstring", NULL);
  g_autofree char *entered_text = first_event_text ("02-call-101-102.jsonl",
                                                    "ChannelEnteredBridge");
  g_autofree char *channelless = mutate (entered_text, "channel", NULL);
  g_autofree char *contact_text = first_event_text ("01-startup.jsonl", "ContactStatusChange");
  g_autofree char *stateless = mutate (contact_text, "endpoint.state", NULL);
  g_autoptr(OhAriEvent) dial = decode_text (no_caller);
  g_autoptr(OhAriEvent) dial2 = decode_text (no_dialstring);
  g_autoptr(OhAriEvent) entered = decode_text (channelless);
  g_autoptr(OhAriEvent) contact = decode_text (stateless);

  g_assert_null (dial->caller);
  g_assert_nonnull (dial->channel);
  g_assert_cmpstr (dial2->dialstring, ==, "");
  g_assert_null (entered->channel);
  g_assert_nonnull (entered->bridge);
  g_assert_cmpstr (contact->endpoint->state, ==, "unknown");
}

static void
test_unknown_event (void)
{
  g_autofree char *state = first_event_text ("02-call-101-102.jsonl", "ChannelStateChange");
  g_autofree char *talking = mutate (state, "type", "\"ChannelTalkingStarted\"");
  g_autoptr(OhAriEvent) event = decode_text (talking);
  g_autoptr(OhAriEvent) bare = decode_text ("{\"type\": \"MissingParams\", \"params\": [\"app\"]}");

  g_assert_cmpint (event->type, ==, OH_ARI_EVENT_UNKNOWN);
  g_assert_cmpstr (event->type_name, ==, "ChannelTalkingStarted");
  g_assert_cmpstr (event->application, ==, "dialtone");
  g_assert_cmpint (event->timestamp, >, 0);
  g_assert_null (event->channel);

  g_assert_cmpint (bare->type, ==, OH_ARI_EVENT_UNKNOWN);
  g_assert_cmpstr (bare->type_name, ==, "MissingParams");
  g_assert_cmpstr (bare->application, ==, "");
  g_assert_cmpint (bare->timestamp, ==, 0);
}

/* Not in the transcripts (registration produced none), so built here. */
static void
test_endpoint_state_change (void)
{
  static const char text[] =
    "{\"type\": \"EndpointStateChange\", \"application\": \"dialtone\", "
    "\"timestamp\": \"2026-11-27T02:05:21.022+0000\", \"endpoint\": {\"technology\": \"PJSIP\", "
    "\"resource\": \"101\", \"state\": \"online\", \"channel_ids\": [\"1795745121.0\"]}}";
  g_autoptr(OhAriEvent) event = decode_text (text);

  g_assert_cmpint (event->type, ==, OH_ARI_EVENT_ENDPOINT_STATE_CHANGE);
  g_assert_cmpstr (event->endpoint->resource, ==, "101");
  g_assert_cmpstr (event->endpoint->state, ==, "online");
  g_assert_cmpstrv (event->endpoint->channel_ids,
                    ((const char * const[]) { "1795745121.0", NULL }));
  static const char missing[] = "{\"type\": \"EndpointStateChange\", \"application\": "
                                "\"dialtone\", \"timestamp\": \"2026-11-27T02:05:21.022Z\"}";

  assert_event_error (missing, strlen (missing), "'endpoint' is missing");
}

/* Every prefix of a real event is refused, none crashes. */
static void
test_truncated (void)
{
  const char *types[] = { "StasisStart", "Dial", "ChannelEnteredBridge" };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autofree char *text = first_event_text ("04-outgoing-originate-transfer.jsonl", types[t]);
      gsize length = strlen (text);

      for (gsize i = 0; i < length; i++)
        assert_event_error (text, i, NULL);
    }
}

static void
test_oversized (void)
{
  gsize size = 16 * 1024 * 1024;
  g_autofree char *big = g_malloc (size);
  static const char head[] = "{\"type\": \"StasisStart\", \"pad\": \"";

  memset (big, 'a', size);
  memcpy (big, head, strlen (head));
  memcpy (big + size - 2, "\"}", 2);
  assert_event_error (big, size, "larger than");

  /* The limit itself is exact. */
  assert_event_error (big, OH_ARI_MAX_MESSAGE_SIZE + 1, "larger than");
  memcpy (big + OH_ARI_MAX_MESSAGE_SIZE - 2, "\"}", 2);
  assert_event_error (big, OH_ARI_MAX_MESSAGE_SIZE, "'application' is missing");
}

static void
test_deep_nesting (void)
{
  gsize depth = 200000;
  g_autoptr(GString) text = g_string_new ("{\"type\": \"X\", \"a\": ");
  g_autoptr(GString) objects = g_string_new (NULL);

  for (gsize i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');
  assert_event_error (text->str, text->len, "nested");

  for (gsize i = 0; i < depth; i++)
    g_string_append (objects, "{\"a\":");
  assert_event_error (objects->str, objects->len, "nested");

  /* Brackets inside strings do not count. */
  g_string_assign (text, "{\"type\": \"X\", \"a\": \"");
  for (gsize i = 0; i < 100; i++)
    g_string_append (text, "[{\\\"");
  g_string_append (text, "\"}");
  g_autoptr(OhAriEvent) event = decode_text (text->str);
  g_assert_cmpstr (event->type_name, ==, "X");
}

/* Random damage to real events: an event or an error, never both, never
 * neither, never a crash. */
static void
test_corrupted (void)
{
  g_autoptr(Transcript) transcript = load_transcript ("02-call-101-102.jsonl");
  guint decoded = 0, refused = 0;

  for (guint i = 0; i < transcript->lines->len; i++)
    {
      g_autofree char *text = NULL;
      gsize length;

      if (g_strcmp0 (line_kind (transcript, i), "event") != 0)
        continue;
      text = event_text (transcript, i);
      length = strlen (text);
      for (guint round = 0; round < 20; round++)
        {
          g_autofree char *copy = g_strdup (text);
          g_autoptr(GError) error = NULL;
          g_autoptr(OhAriEvent) event = NULL;
          guint flips = g_test_rand_int_range (1, 4);

          for (guint f = 0; f < flips; f++)
            copy[g_test_rand_int_range (0, length)] = (char) g_test_rand_int_range (1, 256);
          event = oh_ari_event_decode (copy, length, &error);
          g_assert_true ((event == NULL) != (error == NULL));
          if (event != NULL)
            decoded++;
          else
            refused++;
        }
    }

  g_test_message ("corrupted events: %u decoded, %u refused", decoded, refused);
  g_assert_cmpuint (refused, >, 0);
}

static void
test_rest_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(OhAriChannel) channel = NULL;
  g_autoptr(OhAriBridge) bridge = NULL;
  g_autoptr(OhAriEndpoint) endpoint = NULL;
  g_autofree char *value = NULL;
  static const char endpoints[] =
    "[{\"technology\": \"PJSIP\", \"resource\": \"101\", \"channel_ids\": []}, 7]";

  list = oh_ari_endpoint_list_decode ("{}", 2, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_assert_null (list);
  g_clear_error (&error);

  list = oh_ari_endpoint_list_decode (endpoints, strlen (endpoints), &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "'[1]' is not an object"));
  g_clear_error (&error);

  list = oh_ari_channel_list_decode ("[{\"id\": \"1\"}]", 13, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "'[0].name' is missing"));
  g_clear_error (&error);

  list = oh_ari_bridge_list_decode ("[]", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  config = oh_ari_config_decode ("[{\"attribute\": \"callerid\", \"value\": 5}]", 39, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "'[0].value' is not a string"));
  g_clear_error (&error);

  info = oh_ari_info_decode ("{\"build\": {}}", 13, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "'system' is missing"));
  g_clear_error (&error);

  info = oh_ari_info_decode ("{\"system\": {\"version\": 23}}", 27, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "'system.version' is not a string"));
  g_clear_error (&error);

  channel = oh_ari_channel_decode ("", 0, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_clear_error (&error);

  bridge = oh_ari_bridge_decode ("[]", 2, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_clear_error (&error);

  endpoint = oh_ari_endpoint_decode ("{\"technology\": \"PJSIP\"}", 23, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "'resource' is missing"));
  g_clear_error (&error);

  value = oh_ari_variable_decode ("{\"value\": null}", 15, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  g_clear_error (&error);

  g_assert_null (oh_ari_error_message_decode ("{\"message\": 5}", 14));
  g_assert_null (oh_ari_error_message_decode ("<html></html>", 13));
  g_assert_null (oh_ari_error_message_decode ("", 0));
  g_assert_null (oh_ari_error_message_decode (NULL, 0));
}

/* Types without a consumer: only the name, application and timestamp */

static void
test_unused_event (void)
{
  g_autofree char *varset = first_event_text ("02-call-101-102.jsonl", "ChannelVarset");
  g_autofree char *dialplan = first_event_text ("02-call-101-102.jsonl", "ChannelDialplan");
  g_autoptr(OhAriEvent) event = decode_text (varset);
  g_autoptr(OhAriEvent) dialplan_event = decode_text (dialplan);

  g_assert_cmpint (event->type, ==, OH_ARI_EVENT_CHANNEL_VARSET);
  g_assert_cmpstr (event->type_name, ==, "ChannelVarset");
  g_assert_cmpstr (event->application, ==, "dialtone");
  g_assert_cmpint (event->timestamp, ==, oh_ari_parse_time ("2026-11-27T02:05:21.022+0000"));
  g_assert_null (event->channel);
  g_assert_null (event->variable);
  g_assert_null (event->value);

  g_assert_cmpint (dialplan_event->type, ==, OH_ARI_EVENT_CHANNEL_DIALPLAN);
  g_assert_null (dialplan_event->channel);
}

/* Only the top level's "type" names the event: not one in a member's
 * object or list, nor the text "type" inside a string. */
static void
test_nested_type (void)
{
  g_autofree char *state = first_event_text ("02-call-101-102.jsonl", "ChannelStateChange");
  g_autofree char *varset = first_event_text ("02-call-101-102.jsonl", "ChannelVarset");
  g_autofree char *decoys = g_strconcat ("{\"x\": {\"type\": \"ChannelVarset\"}, "
                                         "\"y\": \"\\\"type\\\": \\\"ChannelVarset\\\"\", "
                                         "\"z\": [\"type\", \"ChannelVarset\", {\"type\": 1}], ",
                                         state + 1, NULL);
  g_autofree char *in_channel = mutate (varset, "channel.type", "\"StasisStart\"");
  g_autoptr(OhAriEvent) event = decode_text (decoys);
  g_autoptr(OhAriEvent) plain = decode_text (state);
  g_autoptr(OhAriEvent) still_varset = decode_text (in_channel);
  static const char untyped[] = "{\"channel\": {\"type\": \"ChannelVarset\"}, "
                                "\"list\": [{\"type\": \"ChannelVarset\"}], "
                                "\"application\": \"dialtone\"}";

  g_assert_cmpint (event->type, ==, OH_ARI_EVENT_CHANNEL_STATE_CHANGE);
  g_assert_nonnull (event->channel);
  g_assert_cmpstr (event->channel->name, ==, plain->channel->name);
  g_assert_cmpint (still_varset->type, ==, OH_ARI_EVENT_CHANNEL_VARSET);
  assert_event_error (untyped, strlen (untyped), "'type' is missing");
}

static void
test_escaped_type (void)
{
  static const char tail[] = ", \"application\": \"dialtone\", "
                             "\"timestamp\": \"2026-11-27T02:05:21.022+0000\"}";
  static const struct
  {
    const char    *head;
    OhAriEventType type;
    const char    *name;
  } cases[] = {
    { "{\"type\": \"Channel\\u0056arset\"", OH_ARI_EVENT_CHANNEL_VARSET, "ChannelVarset" },
    { "{\"typ\\u0065\": \"ChannelVarset\"", OH_ARI_EVENT_CHANNEL_VARSET, "ChannelVarset" },
    { "{\"\\u0074\\u0079\\u0070\\u0065\": \"Dial\\u0041\"", OH_ARI_EVENT_UNKNOWN, "DialA" },
    { "{\"type\": \"Channel\\/Varset\"", OH_ARI_EVENT_UNKNOWN, "Channel/Varset" },
    { "{\"type\": \"ChannelVarset\\t\"", OH_ARI_EVENT_UNKNOWN, "ChannelVarset\t" },
    { "{\"type\": \"\\ud83d\\ude00\"", OH_ARI_EVENT_UNKNOWN, "\xf0\x9f\x98\x80" },
    /* Another member whose name only starts like it. */
    { "{\"types\": \"Dial\", \"type\": \"ChannelVarset\"", OH_ARI_EVENT_CHANNEL_VARSET,
      "ChannelVarset" },
  };
  static const char * const bad[] = {
    "{\"type\": \"ChannelVarset\\u0000\"",
    "{\"type\": \"ChannelVarset\\ud800\"",
    "{\"type\": \"ChannelVarset\\x\"",
    "{\"type\": \"Channel\x01Varset\"",
    "{\"type\": \"ChannelVarset\xc3\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (cases[i].head, tail, NULL);
      g_autoptr(OhAriEvent) event = decode_text (text);

      g_assert_cmpint (event->type, ==, cases[i].type);
      g_assert_cmpstr (event->type_name, ==, cases[i].name);
      g_assert_cmpstr (event->application, ==, "dialtone");
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strconcat (bad[i], tail, NULL);

      assert_event_error (text, strlen (text), NULL);
    }
}

/* A call's events one after the other in the same buffer, as the socket
 * delivers them: what was skipped leaves nothing behind, and nothing
 * decoded points into the text. */
static void
test_unused_then_next (void)
{
  g_autoptr(Transcript) transcript = load_transcript ("02-call-101-102.jsonl");
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autofree char *varset = first_event_text ("02-call-101-102.jsonl", "ChannelVarset");
  g_autofree char *state = first_event_text ("02-call-101-102.jsonl", "ChannelStateChange");
  g_autofree char *two = g_strconcat (varset, state, NULL);
  g_autofree char *two_lines = g_strconcat (varset, "\n", state, NULL);
  guint skipped = 0, followed = 0;
  gboolean after_unused = FALSE;

  for (guint i = 0; i < transcript->lines->len; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(OhAriEvent) event = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *raw;

      if (g_strcmp0 (line_kind (transcript, i), "event") != 0)
        continue;
      raw = json_object_get_object_member (line_object (transcript, i), "event");
      text = event_text (transcript, i);
      g_string_assign (buffer, text);
      event = oh_ari_event_decode (buffer->str, buffer->len, &error);
      g_assert_no_error (error);
      memset (buffer->str, '"', buffer->len);

      g_assert_cmpstr (event->type_name, ==, json_object_get_string_member (raw, "type"));
      g_assert_cmpstr (event->application, ==, "dialtone");
      if (is_unused_type (event->type))
        {
          skipped++;
          after_unused = TRUE;
          continue;
        }
      if (after_unused && json_object_has_member (raw, "channel"))
        {
          g_assert_cmpstr (event->channel->id, ==,
                           json_object_get_string_member (
                             json_object_get_object_member (raw, "channel"), "id"));
          followed++;
        }
      after_unused = FALSE;
    }
  g_assert_cmpuint (skipped, >, 40);
  g_assert_cmpuint (followed, >, 5);

  /* Two events in one message are not two events. */
  assert_event_error (two, strlen (two), "after the end");
  assert_event_error (two_lines, strlen (two_lines), "after the end");
}

static char *
replace_once (const char *text,
              const char *old,
              const char *new)
{
  const char *at = strstr (text, old);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, new, at + strlen (old));
}

/* A type nobody reads is still checked as JSON all through: broken text
 * anywhere in it is refused, as before, and the PBX resynchronised. */
static void
test_unused_malformed (void)
{
  g_autofree char *varset = first_event_text ("02-call-101-102.jsonl", "ChannelVarset");
  static const char name[] = "\"name\":\"PJSIP/101-00000000\"";
  static const struct
  {
    const char *replacement;
    const char *mentions;
  } damage[] = {
    { "\"name\":\"PJSIP/101\xff\"", "not UTF-8" },
    { "\"name\":\"PJSIP/101\xc0\xaf\"", "not UTF-8" },
    { "\"name\":\"PJSIP/101\xed\xa0\x80\"", "not UTF-8" },
    { "\"name\":\"PJSIP/\\x101\"", "unknown escape" },
    { "\"name\":\"PJSIP/\\ud800\"", "\\u escape" },
    { "\"name\":\"PJSIP/\\udc00\\ud800\"", "\\u escape" },
    { "\"name\":\"PJSIP/\\u12\"", "\\u escape" },
    { "\"name\":\"PJSIP/\\u0000\"", "\\u0000" },
    { "\"name\":\"PJSIP/\x01\"", "control character" },
    { "\"name\":\"PJSIP/101-00000000\",", "Malformed" },
    { "\"name\":'PJSIP'", "Malformed" },
    { "\"name\":PJSIP", "Malformed" },
    { "\"name\":007", "Malformed" },
    { "\"name\":1.", "Malformed" },
    { "\"name\":tru", "Malformed" },
    { "\"name\" \"x\"", "Malformed" },
    { "\"name\":\"a\" \"b\":\"c\"", "Malformed" },
    { "\"name\":[1,]", "Malformed" },
    { "\"name\":/* x */\"y\"", "Malformed" },
    { "\"name\":\"\xc3\xa9\"\xc3\xa9", "Malformed" },
  };
  gsize length = strlen (varset);

  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    {
      g_autofree char *bad = replace_once (varset, name, damage[i].replacement);

      assert_event_error (bad, strlen (bad), damage[i].mentions);
    }

  /* 32 levels in all are allowed, 33 are not, as oh_ari_json_precheck()
   * counts: the event, its channel, 30 lists in the channel's name. */
  for (guint lists = 30; lists <= 31; lists++)
    {
      g_autofree char *open = g_strnfill (lists, '[');
      g_autofree char *close = g_strnfill (lists, ']');
      g_autofree char *deep_name = g_strconcat ("\"name\":", open, close, NULL);
      g_autofree char *deep = replace_once (varset, name, deep_name);

      if (lists == 30)
        {
          g_autoptr(OhAriEvent) event = decode_text (deep);
        }
      else
        assert_event_error (deep, strlen (deep), "nested deeper than 32");
    }

  for (gsize i = 0; i < length; i++)
    assert_event_error (varset, i, NULL);
}

/* A member given twice: the last one counts and only it is checked, as
 * when json-glib kept only that one. */
static void
test_duplicate_members (void)
{
  g_autofree char *state = first_event_text ("02-call-101-102.jsonl", "ChannelStateChange");
  g_autofree char *type_twice = g_strconcat ("{\"type\": 7, \"channel\": [], ", state + 1, NULL);
  g_autofree char *vars_last_good = replace_once (state, "\"creationtime\":",
                                                  "\"channelvars\":{\"A\":1,\"B\":\"b\","
                                                  "\"\\u0041\":\"a\"},\"creationtime\":");
  g_autofree char *vars_last_bad = replace_once (state, "\"creationtime\":",
                                                 "\"channelvars\":{\"A\":\"a\",\"A\":[]},"
                                                 "\"creationtime\":");
  g_autoptr(OhAriEvent) event = decode_text (type_twice);
  g_autoptr(OhAriEvent) vars = decode_text (vars_last_good);

  g_assert_cmpint (event->type, ==, OH_ARI_EVENT_CHANNEL_STATE_CHANGE);
  g_assert_nonnull (event->channel);
  g_assert_cmpuint (g_hash_table_size (vars->channel->variables), ==, 2);
  g_assert_cmpstr (oh_ari_channel_get_variable (vars->channel, "A"), ==, "a");
  g_assert_cmpstr (oh_ari_channel_get_variable (vars->channel, "B"), ==, "b");
  assert_event_error (vars_last_bad, strlen (vars_last_bad), "'channel.channelvars.A'");
}

/* The scanner, through its own interface */

static void describe_value (GString              *out,
                            const OhAriJsonValue *value);

static void
describe_members (GString              *out,
                  const OhAriJsonValue *value)
{
  g_auto(OhAriJsonObject) object = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (oh_ari_json_object_index (&object, value, &error));
  g_assert_no_error (error);
  g_string_append_c (out, '{');
  for (guint i = 0; i < object.n_members; i++)
    {
      g_autofree char *name = oh_ari_json_member_dup_name (&object.members[i]);

      g_string_append_printf (out, "%s%s:", i > 0 ? "," : "", name);
      describe_value (out, &object.members[i].value);
    }
  g_string_append_c (out, '}');
}

/* A value as a compact, unambiguous text: numbers as i<int>, o (an
 * integer out of range) or d<double>, strings unescaped between quotes. */
static void
describe_value (GString              *out,
                const OhAriJsonValue *value)
{
  g_autoptr(GError) error = NULL;
  OhAriJsonArrayIter iter;
  OhAriJsonValue element;
  gint64 number;

  switch (value->type)
    {
    case OH_ARI_JSON_NULL:
      g_string_append (out, "null");
      break;
    case OH_ARI_JSON_TRUE:
      g_string_append (out, "true");
      break;
    case OH_ARI_JSON_FALSE:
      g_string_append (out, "false");
      break;
    case OH_ARI_JSON_NUMBER:
      if (!(value->flags & OH_ARI_JSON_INTEGER))
        g_string_append_printf (out, "d%g", oh_ari_json_value_get_double (value));
      else if (oh_ari_json_value_get_int64 (value, &number))
        g_string_append_printf (out, "i%" G_GINT64_FORMAT, number);
      else
        g_string_append (out, "o");
      break;
    case OH_ARI_JSON_STRING:
      {
        g_autofree char *text = oh_ari_json_value_dup_string (value);

        g_string_append_printf (out, "\"%s\"", text);
        break;
      }
    case OH_ARI_JSON_ARRAY:
      g_string_append_c (out, '[');
      oh_ari_json_array_iter_init (&iter, value);
      while (oh_ari_json_array_iter_next (&iter, &element, &error))
        {
          if (iter.index > 1)
            g_string_append_c (out, ',');
          describe_value (out, &element);
        }
      g_assert_no_error (error);
      g_assert_true (iter.done);
      g_string_append_c (out, ']');
      break;
    case OH_ARI_JSON_OBJECT:
    default:
      describe_members (out, value);
      break;
    }
}

/* @text as describe_value() has it, or NULL with @error set. */
static char *
describe (const char *text,
          gsize       length,
          GError    **error)
{
  g_auto(OhAriJsonObject) object = { 0 };
  g_autoptr(GString) out = g_string_new (NULL);
  OhAriJsonDocument document;
  OhAriJsonValue root;
  OhAriJsonArrayIter iter;
  OhAriJsonValue element;
  const char *end;

  if (!oh_ari_json_document_open (&document, text, length, &root, error))
    return NULL;
  if (root.type == OH_ARI_JSON_OBJECT)
    {
      /* Checks everything, then describes it. */
      if (!oh_ari_json_object_index (&object, &root, error))
        return NULL;
      end = object.end;
      describe_members (out, &root);
    }
  else
    {
      oh_ari_json_array_iter_init (&iter, &root);
      g_string_append_c (out, '[');
      while (oh_ari_json_array_iter_next (&iter, &element, error))
        {
          if (iter.index > 1)
            g_string_append_c (out, ',');
          describe_value (out, &element);
        }
      if (!iter.done)
        return NULL;
      g_string_append_c (out, ']');
      end = iter.p;
    }
  if (!oh_ari_json_document_close (&document, end, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_scanner_values (void)
{
  static const struct
  {
    const char *text, *described;
  } good[] = {
    { "{}", "{}" },
    { "[]", "[]" },
    { " \t\r\n[ ] \n", "[]" },
    { "{\"a\": [1, -0, 12.5, 1e2, -1E-2, 0.0e+0, true, false, null, \"x\"], \"b\": {}}",
      "{a:[i1,i0,d12.5,d100,d-0.01,d0,true,false,null,\"x\"],b:{}}" },
    { "{ \"a\" : { \"b\" : [ [ ] , { } ] } }", "{a:{b:[[],{}]}}" },
    { "[9223372036854775807, -9223372036854775808, 9223372036854775808, "
      "-9223372036854775809, 18446744073709551632]",
      "[i9223372036854775807,i-9223372036854775808,o,o,o]" },
    { "[\"\\u00e9\\ud83d\\ude00\\/\\\"\\\\\\u0041\\uDBFF\\uDFFF\"]",
      "[\"\xc3\xa9\xf0\x9f\x98\x80/\"\\A\xf4\x8f\xbf\xbf\"]" },
    { "[\"\\b\\f\\n\\r\\t\"]", "[\"\b\f\n\r\t\"]" },
    { "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf\x7f\"]",
      "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf\x7f\"]" },
    /* Long strings go eight bytes at a time, with the special byte at every
     * place of the last eight. */
    { "[\"0123456789abcdef\\n\", \"0123456789abcde\\n\", \"0123456789abcd\xc3\xa9\"]",
      "[\"0123456789abcdef\n\",\"0123456789abcde\n\",\"0123456789abcd\xc3\xa9\"]" },
    { "{\"\\u0061\": 1, \"\": 2}", "{a:i1,:i2}" },
  };
  static const char * const bad[] = {
    "", " ", "1", "\"a\"", "null", "\xef\xbb\xbf{}", "{", "[", "{]", "[}", "{}}", "[]]", "{} {}",
    "{} x", "{}\xc3\xa9", "{}\f", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "{,}", "[1,]",
    "[,1]", "[1 2]", "[1,,2]", "{\"a\":1 \"b\":2}", "{a:1}", "{'a':1}", "[007]", "[-01]", "[1.]",
    "[.5]", "[+1]", "[-]", "[0x1]", "[1e]", "[1e+]", "[NaN]", "[Infinity]", "[tru]", "[nulll]",
    "[TRUE]", "[\"a]", "[\"a\\\"]", "[\"\\q\"]", "[\"\\u12\"]", "[\"\\u12g4\"]", "[\"\\u0000\"]",
    "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]", "[\"\\ud800\\n\"]", "[\"\x01\"]",
    "[\"\t\"]", "[\"\n\"]", "[\"\xff\"]", "[\"\xc0\xaf\"]", "[\"\xc1\xbf\"]", "[\"\xe0\x80\xaf\"]",
    "[\"\xed\xa0\x80\"]", "[\"\xf0\x80\x80\xaf\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xf5\x80\x80\x80\"]",
    "[\"\xe2\x82\"]", "[\"\xe2\x82", "[\"\x80\"]", "[/* */]", "[1]//", "[\xc3\xa9]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *described = describe (good[i].text, strlen (good[i].text), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (described, ==, good[i].described);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *described = describe (bad[i], strlen (bad[i]), &error);

      if (described != NULL)
        g_error ("“%s” read as %s", bad[i], described);
      g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
      /* Where, never what. */
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  /* An embedded NUL is a control character, not the end. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (describe ("[\"a\0b\"]", 7, &error));
    g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL);
  }
}

static void
test_scanner_members (void)
{
  g_autoptr(GString) many = g_string_new ("{");
  g_autoptr(GError) error = NULL;
  g_auto(OhAriJsonObject) object = { 0 };
  OhAriJsonDocument document;
  OhAriJsonValue root;
  const OhAriJsonValue *value;
  gint64 number;
  static const char twice[] = "{\"a\": 1, \"\\u0061\": 2, \"b\": null, \"\": 3}";

  /* The last of two members with the same name counts, escaped or not. */
  g_assert_true (oh_ari_json_document_open (&document, twice, strlen (twice), &root, &error));
  g_assert_true (oh_ari_json_object_index (&object, &root, &error));
  g_assert_no_error (error);
  value = oh_ari_json_object_get (&object, "a");
  g_assert_nonnull (value);
  g_assert_true (oh_ari_json_value_get_int64 (value, &number));
  g_assert_cmpint (number, ==, 2);
  g_assert_cmpint (oh_ari_json_object_get (&object, "b")->type, ==, OH_ARI_JSON_NULL);
  g_assert_null (oh_ari_json_object_get (&object, "c"));
  g_assert_true (oh_ari_json_value_get_int64 (oh_ari_json_object_get (&object, ""), &number));
  g_assert_cmpint (number, ==, 3);

  /* Past the members kept on the stack; the same object indexed again. */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (many, "%s\"m%u\": %u", i > 0 ? ", " : "", i, i);
  g_string_append_c (many, '}');
  g_assert_true (oh_ari_json_document_open (&document, many->str, many->len, &root, &error));
  g_assert_true (oh_ari_json_object_index (&object, &root, &error));
  g_assert_cmpuint (object.n_members, ==, 100);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("m%u", i);

      g_assert_true (oh_ari_json_value_get_int64 (oh_ari_json_object_get (&object, name), &number));
      g_assert_cmpint (number, ==, i);
    }
  g_assert_true (oh_ari_json_document_close (&document, object.end, &error));
}

/* Asterisk can be told to pretty-print (ari.conf); spacing changes nothing. */
static void
test_pretty_events (void)
{
  g_autoptr(Transcript) transcript = load_transcript ("04-outgoing-originate-transfer.jsonl");

  for (guint i = 0; i < transcript->lines->len; i++)
    {
      g_autofree char *compact = NULL;
      g_autofree char *pretty = NULL;
      g_autoptr(OhAriEvent) a = NULL;
      g_autoptr(OhAriEvent) b = NULL;

      if (g_strcmp0 (line_kind (transcript, i), "event") != 0)
        continue;
      compact = event_text (transcript, i);
      pretty = json_to_string (json_object_get_member (line_object (transcript, i), "event"), TRUE);
      a = decode_text (compact);
      b = decode_text (pretty);
      g_assert_cmpint (a->type, ==, b->type);
      g_assert_cmpint (a->timestamp, ==, b->timestamp);
      g_assert_true ((a->channel == NULL) == (b->channel == NULL));
      if (a->channel != NULL)
        {
          g_assert_cmpstr (a->channel->id, ==, b->channel->id);
          g_assert_cmpstr (a->channel->caller_name, ==, b->channel->caller_name);
          g_assert_cmpint (a->channel->creation_time, ==, b->channel->creation_time);
        }
    }
}

/* Times, caller ids, states */

static gint64
reference_time (const char *text)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static void
test_parse_time (void)
{
  static const char * const good[] = {
    "2026-11-27T02:05:21.022+0000",
    "2026-11-27T02:05:21.022Z",
    "2026-11-27T02:05:21+0100",
    "2026-11-27T02:05:21.5-05:30",
    "2024-02-29T23:59:59.999+0000",
    "2000-02-29T00:00:00Z",
    "1970-01-01T00:00:00.000+0000",
    "2099-12-31T23:59:59.000+0000",
    "2026-01-01T00:30:00.000+01",
  };
  static const char * const bad[] = {
    "",
    "2026-11-27",
    "2026-11-27 02:05:21.022+0000",
    "2026-11-27T02:05:21.022",
    "2026-11-27T02:05:21.+0000",
    "2026-11-27T02:05:21.022+0000x",
    "2026-13-01T00:00:00Z",
    "2026-00-01T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2026-11-31T00:00:00Z",
    "2026-11-27T24:00:00Z",
    "2026-11-27T23:60:00Z",
    "2026-11-27T23:59:60Z",
    "2026-11-27T23:59:59+2400",
    "1969-12-31T23:59:59.000+0000",
    "1970-01-01T00:00:00.000+0100",
    "２026-11-27T02:05:21Z",
  };

  g_assert_cmpint (oh_ari_parse_time ("2026-11-27T02:05:21.022+0000"), ==, 1795745121022000);
  /* Digits past the microsecond are dropped, not rounded. */
  g_assert_cmpint (oh_ari_parse_time ("2026-11-27T02:05:21.1234569+0000"), ==, 1795745121123456);
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_cmpint (oh_ari_parse_time (good[i]), ==, reference_time (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (oh_ari_parse_time (bad[i]) != -1)
        g_error ("“%s” parsed", bad[i]);
    }
  g_assert_cmpint (oh_ari_parse_time (NULL), ==, -1);
}

static void
test_parse_callerid (void)
{
  static const struct
  {
    const char *text, *name, *number;
  } good[] = {
    { "\"Carol Chen\" <102>", "Carol Chen", "102" },
    { "\"Bob Brown\"<101>", "Bob Brown", "101" },
    { "  Carol Chen <102>  ", "Carol Chen", "102" },
    { "<102>", "", "102" },
    { "102", "", "102" },
    { "+49 30", "+49 30", "" },
    { "*97#", "", "*97#" },
    { "Carol", "Carol", "" },
    { "\"Carol\"", "Carol", "" },
    { "\"Dave \\\"DD\\\" Diaz\" <103>", "Dave \"DD\" Diaz", "103" },
    { "\"\" <>", "", "" },
    { "", "", "" },
    { "\"Alice\" <sip:100@pbx>", "Alice", "sip:100@pbx" },
  };
  static const char * const bad[] = {
    "\"Carol <102>",
    "Carol <102",
    "\"Carol\" 102",
    "Carol <102> x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *number = NULL;

      g_assert_true (oh_ari_parse_callerid (good[i].text, &name, &number));
      g_assert_cmpstr (name, ==, good[i].name);
      g_assert_cmpstr (number, ==, good[i].number);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *name = NULL, *number = NULL;

      g_assert_false (oh_ari_parse_callerid (bad[i], &name, &number));
      g_assert_null (name);
      g_assert_null (number);
    }
  g_assert_false (oh_ari_parse_callerid (NULL, NULL, NULL));
  g_assert_true (oh_ari_parse_callerid ("\"A\" <1>", NULL, NULL));
}

static void
test_channel_states (void)
{
  OhAriChannelState state;

  for (OhAriChannelState s = OH_ARI_CHANNEL_STATE_UNKNOWN; s <= OH_ARI_CHANNEL_STATE_PRERING; s++)
    {
      g_assert_true (oh_ari_channel_state_from_string (oh_ari_channel_state_to_string (s), &state));
      g_assert_cmpint (state, ==, s);
    }
  g_assert_true (oh_ari_channel_state_from_string ("Ringing", &state));
  g_assert_cmpint (state, ==, OH_ARI_CHANNEL_STATE_RINGING);
  g_assert_true (oh_ari_channel_state_from_string ("Unknown (12)", &state));
  g_assert_cmpint (state, ==, OH_ARI_CHANNEL_STATE_UNKNOWN);
  g_assert_false (oh_ari_channel_state_from_string ("up", &state));
  g_assert_false (oh_ari_channel_state_from_string ("", &state));
  g_assert_false (oh_ari_channel_state_from_string (NULL, &state));
  g_assert_cmpstr (oh_ari_channel_state_to_string (99), ==, "Unknown");
}

static void
test_boxed_refs (void)
{
  g_autofree char *text = first_event_text ("02-call-101-102.jsonl", "Dial");
  OhAriEvent *event = decode_text (text);
  OhAriChannel *peer = oh_ari_channel_ref (event->channel);
  OhAriEvent *copy = g_boxed_copy (OH_TYPE_ARI_EVENT, event);
  OhAriInfo info = { (char *) "23.4.1" };
  OhAriInfo *info_copy = g_boxed_copy (OH_TYPE_ARI_INFO, &info);

  g_assert_true (copy == event);
  g_boxed_free (OH_TYPE_ARI_EVENT, copy);
  oh_ari_event_unref (event);
  /* The channel outlives the event that brought it. */
  g_assert_cmpstr (peer->name, ==, "PJSIP/102-00000001");
  oh_ari_channel_unref (peer);

  g_assert_cmpstr (info_copy->version, ==, "23.4.1");
  oh_ari_info_free (info_copy);
  oh_ari_info_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ari/decode/transcripts/events", test_transcript_events_all_decode);
  g_test_add_func ("/ari/decode/transcripts/rest", test_transcript_rest_all_decode);
  g_test_add_func ("/ari/decode/transcripts/startup", test_transcript_startup);
  g_test_add_func ("/ari/decode/transcripts/call", test_transcript_call);
  g_test_add_func ("/ari/decode/transcripts/incoming", test_transcript_incoming);
  g_test_add_func ("/ari/decode/transcripts/outgoing", test_transcript_outgoing);
  g_test_add_func ("/ari/decode/transcripts/chat", test_transcript_chat);
  g_test_add_func ("/ari/decode/transcripts/config", test_transcript_config);
  g_test_add_func ("/ari/decode/bad/json", test_bad_json);
  g_test_add_func ("/ari/decode/bad/missing-type", test_missing_type);
  g_test_add_func ("/ari/decode/bad/wrong-types", test_wrong_types);
  g_test_add_func ("/ari/decode/bad/truncated", test_truncated);
  g_test_add_func ("/ari/decode/bad/oversized", test_oversized);
  g_test_add_func ("/ari/decode/bad/deep-nesting", test_deep_nesting);
  g_test_add_func ("/ari/decode/bad/corrupted", test_corrupted);
  g_test_add_func ("/ari/decode/bad/rest", test_rest_bad_input);
  g_test_add_func ("/ari/decode/optional-parts", test_optional_parts);
  g_test_add_func ("/ari/decode/unknown-event", test_unknown_event);
  g_test_add_func ("/ari/decode/endpoint-state-change", test_endpoint_state_change);
  g_test_add_func ("/ari/decode/parse-time", test_parse_time);
  g_test_add_func ("/ari/decode/parse-callerid", test_parse_callerid);
  g_test_add_func ("/ari/decode/channel-states", test_channel_states);
  g_test_add_func ("/ari/decode/boxed-refs", test_boxed_refs);
  g_test_add_func ("/ari/decode/unused/event", test_unused_event);
  g_test_add_func ("/ari/decode/unused/nested-type", test_nested_type);
  g_test_add_func ("/ari/decode/unused/escaped-type", test_escaped_type);
  g_test_add_func ("/ari/decode/unused/then-next", test_unused_then_next);
  g_test_add_func ("/ari/decode/unused/malformed", test_unused_malformed);
  g_test_add_func ("/ari/decode/duplicate-members", test_duplicate_members);
  g_test_add_func ("/ari/decode/scanner/values", test_scanner_values);
  g_test_add_func ("/ari/decode/scanner/members", test_scanner_members);
  g_test_add_func ("/ari/decode/scanner/pretty-events", test_pretty_events);

  return g_test_run ();
}
