/* oh-ari-media.c: the media socket of one call (chan_websocket)
 *
 * What the recorded Asterisk sends: MEDIA_START first (format, frame size,
 * ptime), then binary frames of that size every ptime (the first one is
 * silence; none while the other side holds, none for ~200 ms around
 * DTMF), MEDIA_XOFF/MEDIA_XON when its queue of our audio fills and
 * drains, DTMF_END, STATUS and ERROR. Plain text, or JSON when the channel
 * was created with transport_data=f(json) — then our commands must be JSON
 * too ("Unable to parse JSON command" otherwise).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "oh-ari-decode.h"
#include "oh-ari-media.h"

#define MAX_CONTROL_LENGTH 8192
#define MAX_FRAME_BYTES 65536

struct _OhAriMedia
{
  GObject parent_instance;

  SoupWebsocketConnection *ws;
  gboolean                 json;
  gboolean                 closing;
  gboolean                 started;
};

G_DEFINE_FINAL_TYPE (OhAriMedia, oh_ari_media, G_TYPE_OBJECT)

enum {
  SIGNAL_STARTED,
  SIGNAL_FRAME,
  SIGNAL_FLOW,
  SIGNAL_DTMF,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct {
  const char     *name;
  OhAriMediaEvent event;
} event_names[] = {
  { "MEDIA_START", OH_ARI_MEDIA_EVENT_MEDIA_START },
  { "MEDIA_XOFF", OH_ARI_MEDIA_EVENT_MEDIA_XOFF },
  { "MEDIA_XON", OH_ARI_MEDIA_EVENT_MEDIA_XON },
  { "STATUS", OH_ARI_MEDIA_EVENT_STATUS },
  { "DTMF_END", OH_ARI_MEDIA_EVENT_DTMF_END },
  { "ERROR", OH_ARI_MEDIA_EVENT_ERROR },
  { "MEDIA_MARK_PROCESSED", OH_ARI_MEDIA_EVENT_MEDIA_MARK_PROCESSED },
  { "MEDIA_BUFFERING_COMPLETED", OH_ARI_MEDIA_EVENT_MEDIA_BUFFERING_COMPLETED },
  { "QUEUE_DRAINED", OH_ARI_MEDIA_EVENT_QUEUE_DRAINED },
};

void
oh_ari_media_control_clear (OhAriMediaControl *control)
{
  g_free (control->event_name);
  g_free (control->channel_id);
  g_free (control->format);
  g_free (control->digit);
  g_free (control->error_text);
  memset (control, 0, sizeof *control);
}

static gboolean
is_token (const char *value,
          gsize       max)
{
  gsize length = strlen (value);

  if (length == 0 || length > max)
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.' && *p != '/')
      return FALSE;
  return TRUE;
}

static gboolean
set_field (OhAriMediaControl *control,
           const char        *key,
           const char        *value,
           GError           **error)
{
  gboolean ok = TRUE;
  guint64 number;

  if (g_str_equal (key, "format") && (ok = is_token (value, 16)))
    {
      g_free (control->format);
      control->format = g_strdup (value);
    }
  else if (g_str_equal (key, "optimal_frame_size") || g_str_equal (key, "ptime"))
    {
      ok = g_ascii_string_to_unsigned (value, 10, 1,
                                       g_str_equal (key, "ptime") ? 1000 : MAX_FRAME_BYTES,
                                       &number, NULL);
      if (ok && g_str_equal (key, "ptime"))
        control->ptime = number;
      else if (ok)
        control->optimal_frame_size = number;
    }
  else if (g_str_equal (key, "digit") &&
           (ok = strlen (value) == 1 && strchr ("0123456789*#ABCD", value[0])))
    {
      g_free (control->digit);
      control->digit = g_strdup (value);
    }
  else if (g_str_equal (key, "channel_id") && (ok = is_token (value, 128)))
    {
      g_free (control->channel_id);
      control->channel_id = g_strdup (value);
    }
  else if (g_str_equal (key, "error_text"))
    {
      g_free (control->error_text);
      control->error_text = g_utf8_make_valid (value, -1);
    }
  /* Other fields (connection_id, queue_length, ...) are not ours to keep;
   * the connection id in particular is a credential. */

  if (!ok)
    g_set_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                 "media control message: invalid “%s”", key);
  return ok;
}

static gboolean
set_event (OhAriMediaControl *control,
           const char        *name,
           GError           **error)
{
  if (name == NULL || !is_token (name, 64))
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "media control message: no event name");
      return FALSE;
    }
  control->event_name = g_strdup (name);
  control->event = OH_ARI_MEDIA_EVENT_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (event_names); i++)
    if (g_str_equal (name, event_names[i].name))
      control->event = event_names[i].event;
  return TRUE;
}

static gboolean
parse_json (const char        *text,
            gsize              length,
            OhAriMediaControl *control,
            GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *object;
  JsonNode *event;
  g_autoptr(GList) members = NULL;

  if (!oh_ari_json_precheck (text, length, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, text, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "media control message: not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  event = json_object_get_member (object, "event");
  if (event == NULL || !JSON_NODE_HOLDS_VALUE (event) ||
      json_node_get_value_type (event) != G_TYPE_STRING)
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "media control message: no event name");
      return FALSE;
    }
  if (!set_event (control, json_node_get_string (event), error))
    return FALSE;

  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      g_autofree char *value = NULL;

      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        value = g_strdup (json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        continue;
      if (!set_field (control, l->data, value, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_text (const char        *text,
            OhAriMediaControl *control,
            GError           **error)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  if (!set_event (control, words[0], error))
    return FALSE;
  for (guint i = 1; words[i]; i++)
    {
      char *colon = strchr (words[i], ':');

      if (colon == NULL)
        {
          /* Free text, as in a plain ERROR. */
          if (control->event == OH_ARI_MEDIA_EVENT_ERROR && control->error_text == NULL)
            {
              g_autofree char *rest = g_strjoinv (" ", words + i);

              control->error_text = g_utf8_make_valid (rest, -1);
            }
          break;
        }
      *colon = '\0';
      if (!set_field (control, words[i], colon + 1, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * oh_ari_media_control_parse:
 * @control: (out caller-allocates): zeroed; clear with
 *   oh_ari_media_control_clear() whatever the result
 */
gboolean
oh_ari_media_control_parse (const char        *text,
                            gsize              length,
                            OhAriMediaControl *control,
                            GError           **error)
{
  g_autofree char *copy = NULL;

  memset (control, 0, sizeof *control);
  if (length == 0 || length > MAX_CONTROL_LENGTH || memchr (text, '\0', length) ||
      !g_utf8_validate_len (text, length, NULL))
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "media control message: empty, too long or not text");
      return FALSE;
    }
  copy = g_strndup (text, length);
  g_strstrip (copy);
  if (copy[0] == '\0')
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "media control message: only blanks");
      return FALSE;
    }
  if (copy[0] == '{')
    return parse_json (copy, strlen (copy), control, error);
  return parse_text (copy, control, error);
}

/* --- the socket ------------------------------------------------------ */

static void
on_message (SoupWebsocketConnection *ws,
            gint                     type,
            GBytes                  *message,
            OhAriMedia              *self)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  OhAriMediaControl control;
  g_autoptr(GError) error = NULL;

  if (type == SOUP_WEBSOCKET_DATA_BINARY)
    {
      if (self->started && length > 0 && length <= MAX_FRAME_BYTES)
        g_signal_emit (self, signals[SIGNAL_FRAME], 0, message);
      return;
    }

  if (!oh_ari_media_control_parse (data, length, &control, &error))
    {
      g_warning ("Dropped a media control message: %s", error->message);
      oh_ari_media_control_clear (&control);
      return;
    }

  switch (control.event)
    {
    case OH_ARI_MEDIA_EVENT_MEDIA_START:
      if (control.format && control.optimal_frame_size && !self->started)
        {
          self->started = TRUE;
          g_signal_emit (self, signals[SIGNAL_STARTED], 0, control.format,
                         control.optimal_frame_size, control.ptime ? control.ptime : 20);
        }
      else
        g_warning ("MEDIA_START without a format or frame size");
      break;
    case OH_ARI_MEDIA_EVENT_MEDIA_XOFF:
    case OH_ARI_MEDIA_EVENT_MEDIA_XON:
      g_signal_emit (self, signals[SIGNAL_FLOW], 0,
                     control.event == OH_ARI_MEDIA_EVENT_MEDIA_XOFF);
      break;
    case OH_ARI_MEDIA_EVENT_DTMF_END:
      if (control.digit)
        g_signal_emit (self, signals[SIGNAL_DTMF], 0, control.digit);
      break;
    case OH_ARI_MEDIA_EVENT_ERROR:
      g_message ("The PBX's media channel reports: %s",
                 control.error_text ? control.error_text : "an error");
      break;
    default:
      g_debug ("Media control %s", control.event_name);
      break;
    }
  oh_ari_media_control_clear (&control);
}

static void
on_closed (SoupWebsocketConnection *ws,
           OhAriMedia              *self)
{
  gboolean unexpected = !self->closing &&
                        soup_websocket_connection_get_close_code (ws) != SOUP_WEBSOCKET_CLOSE_NORMAL;

  g_debug ("Media socket closed (code %u)", soup_websocket_connection_get_close_code (ws));
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, unexpected);
}

void
oh_ari_media_send_frame (OhAriMedia   *self,
                         const guint8 *data,
                         gsize         length)
{
  if (oh_ari_media_is_open (self))
    soup_websocket_connection_send_binary (self->ws, data, length);
}

void
oh_ari_media_hangup (OhAriMedia *self)
{
  if (!oh_ari_media_is_open (self))
    return;
  self->closing = TRUE;
  soup_websocket_connection_send_text (self->ws, self->json ? "{\"command\": \"HANGUP\"}" : "HANGUP");
  soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

gboolean
oh_ari_media_is_open (OhAriMedia *self)
{
  return self->ws && soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

static void
oh_ari_media_dispose (GObject *object)
{
  OhAriMedia *self = OH_ARI_MEDIA (object);

  if (self->ws)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->ws);
    }
  G_OBJECT_CLASS (oh_ari_media_parent_class)->dispose (object);
}

static void
oh_ari_media_class_init (OhAriMediaClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_ari_media_dispose;

  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BYTES | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_FLOW] =
    g_signal_new ("flow", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_DTMF] =
    g_signal_new ("dtmf", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
oh_ari_media_init (OhAriMedia *self)
{
}

OhAriMedia *
oh_ari_media_new (gpointer ws,
                  gboolean json)
{
  OhAriMedia *self = g_object_new (OH_TYPE_ARI_MEDIA, NULL);

  self->ws = g_object_ref (SOUP_WEBSOCKET_CONNECTION (ws));
  self->json = json;
  soup_websocket_connection_set_max_incoming_payload_size (self->ws, MAX_FRAME_BYTES + MAX_CONTROL_LENGTH);
  soup_websocket_connection_set_keepalive_interval (self->ws, 15);
  g_signal_connect (self->ws, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->ws, "closed", G_CALLBACK (on_closed), self);
  return self;
}
