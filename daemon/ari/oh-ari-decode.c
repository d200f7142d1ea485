/* oh-ari-decode.c: JSON from ARI → the typed structs of oh-ari-types.h
 *
 * One JsonParser pass per message, then every field the daemon uses is read
 * once and type-checked. Fields the daemon does not use are not looked at, so
 * a newer Asterisk that adds fields keeps working.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "oh-ari-decode.h"

/* ARI nests four levels at most (event.message.variables.X); json-glib 1.6
 * recurses once per level and has no limit of its own, so deep nesting from
 * a broken or hostile peer would overflow the stack. */
#define MAX_DEPTH 32

G_DEFINE_QUARK (oh-ari-error-quark, oh_ari_error)

/* Where a field sits, for error messages: built on the stack as decoding
 * descends, formatted only when something is wrong. */
typedef struct _Where Where;
struct _Where
{
  const Where *up;
  const char  *name;  /* NULL for a list element */
  guint        index;
};

static void
where_append (GString     *path,
              const Where *where)
{
  if (where == NULL)
    return;

  where_append (path, where->up);
  if (where->name == NULL)
    g_string_append_printf (path, "[%u]", where->index);
  else
    {
      if (path->len > 0)
        g_string_append_c (path, '.');
      g_string_append (path, where->name);
    }
}

/* Names the field but never quotes its value: values can carry other
 * people's SIP headers, which have no place in a log. */
static gboolean
field_error (GError     **error,
             const Where *where,
             const char  *member,
             const char  *problem)
{
  g_autoptr(GString) path = g_string_new (NULL);
  Where leaf = { where, member, 0 };

  where_append (path, member != NULL ? &leaf : where);
  g_set_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL, "Invalid ARI message: '%s' %s",
               path->len > 0 ? path->str : "(root)", problem);
  return FALSE;
}

/* Looks up @member; a JSON null counts as absent. */
static JsonNode *
lookup (JsonObject *object,
        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* The string at @member, borrowed from the tree, or NULL with @error set. */
static const char *
peek_string (JsonObject  *object,
             const Where *where,
             const char  *member,
             GError     **error)
{
  JsonNode *node = lookup (object, member);

  if (node == NULL)
    {
      field_error (error, where, member, "is missing");
      return NULL;
    }
  if (!node_is_string (node))
    {
      field_error (error, where, member, "is not a string");
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
get_string (JsonObject  *object,
            const Where *where,
            const char  *member,
            char       **out,
            GError     **error)
{
  const char *value = peek_string (object, where, member, error);

  if (value == NULL)
    return FALSE;
  *out = g_strdup (value);
  return TRUE;
}

/* Leaves *out alone when @member is absent. */
static gboolean
get_optional_string (JsonObject  *object,
                     const Where *where,
                     const char  *member,
                     char       **out,
                     GError     **error)
{
  if (lookup (object, member) == NULL)
    return TRUE;
  return get_string (object, where, member, out, error);
}

static gboolean
get_int (JsonObject  *object,
         const Where *where,
         const char  *member,
         gboolean     required,
         gint        *out,
         GError     **error)
{
  JsonNode *node = lookup (object, member);
  gint64 value;

  if (node == NULL)
    return required ? field_error (error, where, member, "is missing") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return field_error (error, where, member, "is not an integer");
  value = json_node_get_int (node);
  if (value < G_MININT || value > G_MAXINT)
    return field_error (error, where, member, "is out of range");
  *out = (gint) value;
  return TRUE;
}

static JsonObject *
get_object (JsonObject  *object,
            const Where *where,
            const char  *member,
            gboolean     required,
            GError     **error)
{
  JsonNode *node = lookup (object, member);

  if (node == NULL)
    {
      if (required)
        field_error (error, where, member, "is missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      field_error (error, where, member, "is not an object");
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
get_time (JsonObject  *object,
          const Where *where,
          const char  *member,
          gint64      *out,
          GError     **error)
{
  const char *text = peek_string (object, where, member, error);

  if (text == NULL)
    return FALSE;
  *out = oh_ari_parse_time (text);
  if (*out < 0)
    return field_error (error, where, member, "is not a valid time");
  return TRUE;
}

static gboolean
get_strv (JsonObject  *object,
          const Where *where,
          const char  *member,
          GStrv       *out,
          GError     **error)
{
  JsonNode *node = lookup (object, member);
  JsonArray *array;
  g_auto(GStrv) strv = NULL;
  guint length;

  if (node == NULL)
    return field_error (error, where, member, "is missing");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, where, member, "is not a list");

  array = json_node_get_array (node);
  length = json_array_get_length (array);
  strv = g_new0 (char *, length + 1);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_is_string (element))
        {
          Where list = { where, member, 0 };
          Where item = { &list, NULL, i };

          return field_error (error, &item, NULL, "is not a string");
        }
      strv[i] = g_strdup (json_node_get_string (element));
    }

  *out = g_steal_pointer (&strv);
  return TRUE;
}

/* An object of string values (channelvars, message variables), or NULL
 * when absent. */
static gboolean
get_string_map (JsonObject  *object,
                const Where *where,
                const char  *member,
                GHashTable **out,
                GError     **error)
{
  g_autoptr(GHashTable) map = NULL;
  JsonObject *vars;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  g_autoptr(GError) local_error = NULL;

  vars = get_object (object, where, member, FALSE, &local_error);
  if (vars == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  json_object_iter_init (&iter, vars);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (!node_is_string (value))
        {
          Where map_where = { where, member, 0 };

          return field_error (error, &map_where, name, "is not a string");
        }
      g_hash_table_insert (map, g_strdup (name), g_strdup (json_node_get_string (value)));
    }

  *out = g_steal_pointer (&map);
  return TRUE;
}

/* A \uXXXX escape at data[i] ('\\' at i): four hex digits, and a surrogate
 * only as a well-formed pair. json-glib 1.6 leaks on short escapes and
 * turns lone surrogates into invalid UTF-8. Returns the escape's last
 * index, or 0 when it is bad. */
static gsize
check_unicode_escape (const char *data,
                      gsize       length,
                      gsize       i)
{
  guint value = 0;

  if (i + 5 >= length)
    return 0;
  for (guint k = 2; k < 6; k++)
    {
      if (!g_ascii_isxdigit (data[i + k]))
        return 0;
      value = value * 16 + g_ascii_xdigit_value (data[i + k]);
    }
  if (value >= 0xDC00 && value <= 0xDFFF)
    return 0;   /* a low surrogate alone */
  if (value >= 0xD800 && value <= 0xDBFF)
    {
      guint low = 0;

      if (i + 11 >= length || data[i + 6] != '\\' || data[i + 7] != 'u')
        return 0;
      for (guint k = 8; k < 12; k++)
        {
          if (!g_ascii_isxdigit (data[i + k]))
            return 0;
          low = low * 16 + g_ascii_xdigit_value (data[i + k]);
        }
      if (low < 0xDC00 || low > 0xDFFF)
        return 0;
      return i + 11;
    }
  return i + 5;
}

/**
 * oh_ari_json_precheck:
 *
 * What json-glib should never see: anything but one object or array (it
 * accepts, and leaks, data after the first value), nesting deeper than it
 * can recurse, and \u escapes it mishandles. One quick pass, before parsing.
 */
gboolean
oh_ari_json_precheck (const char *data,
                      gsize       length,
                      GError    **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  gboolean closed = FALSE;
  gsize first = 0;

  /* json-glib passes raw invalid UTF-8 in strings through, and GVariant
   * (the bus) refuses it: the whole document must be UTF-8. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: not UTF-8");
      return FALSE;
    }
  while (first < length && g_ascii_isspace (data[first]))
    first++;
  if (first == length || (data[first] != '{' && data[first] != '['))
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: not a JSON object or array");
      return FALSE;
    }

  for (gsize i = first; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\' && i + 1 < length && data[i + 1] == 'u')
            {
              gsize end = check_unicode_escape (data, length, i);

              if (end == 0)
                {
                  g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                                       "Invalid ARI message: a broken \\u escape");
                  return FALSE;
                }
              i = end;
            }
          else if (c == '\\')
            {
              /* json-glib lets unknown escapes ("\7") through as bytes. */
              if (i + 1 >= length || strchr ("\"\\/bfnrt", data[i + 1]) == NULL)
                {
                  g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                                       "Invalid ARI message: an unknown escape");
                  return FALSE;
                }
              i++;
            }
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case ' ':
        case '\t':
        case '\r':
        case '\n':
          continue;
        case '{':
        case '[':
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: nested deeper than %d levels", MAX_DEPTH);
              return FALSE;
            }
          break;
        case '}':
        case ']':
          if (depth == 0)
            break; /* unbalanced: the parser says where */
          if (--depth == 0)
            {
              closed = TRUE;
              continue;
            }
          break;
        case '"':
          in_string = TRUE;
          break;
        default:
          break;
        }

      if (closed)
        {
          g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                               "Invalid ARI message: data after the end of the JSON document");
          return FALSE;
        }
    }

  return TRUE;
}

static JsonParser *
parse_document (const char *data,
                gsize       length,
                GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  if (length > OH_ARI_MAX_MESSAGE_SIZE)
    {
      g_set_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                   "ARI message of %" G_GSIZE_FORMAT " bytes is larger than the %d accepted",
                   length, OH_ARI_MAX_MESSAGE_SIZE);
      return NULL;
    }
  if (length == 0 || data == NULL)
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL, "Empty ARI message");
      return NULL;
    }
  if (!oh_ari_json_precheck (data, length, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      /* json-glib's message quotes the token it choked on: other people's
       * data, maybe not even UTF-8. Say where, not what. */
      g_autofree char *where = g_strndup (local_error->message,
                                          strcspn (local_error->message, " "));

      g_set_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                   "Malformed JSON from ARI at %s", g_utf8_validate (where, -1, NULL) ? where : "?");
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL, "Empty ARI message");
      return NULL;
    }

  return g_steal_pointer (&parser);
}

static JsonObject *
root_object (JsonParser *parser,
             GError    **error)
{
  JsonNode *root = json_parser_get_root (parser);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: not a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

static JsonArray *
root_array (JsonParser *parser,
            GError    **error)
{
  JsonNode *root = json_parser_get_root (parser);

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: not a JSON list");
      return NULL;
    }
  return json_node_get_array (root);
}

/* Objects */

static OhAriChannel *
channel_from_object (JsonObject  *object,
                     const Where *where,
                     GError     **error)
{
  g_autoptr(OhAriChannel) channel = g_new0 (OhAriChannel, 1);
  Where caller_where = { where, "caller", 0 };
  Where connected_where = { where, "connected", 0 };
  Where dialplan_where = { where, "dialplan", 0 };
  JsonObject *caller, *connected, *dialplan;
  const char *state;

  g_atomic_ref_count_init (&channel->ref_count);

  if (!get_string (object, where, "id", &channel->id, error)
      || !get_string (object, where, "name", &channel->name, error))
    return NULL;

  state = peek_string (object, where, "state", error);
  if (state == NULL)
    return NULL;
  if (!oh_ari_channel_state_from_string (state, &channel->state))
    {
      field_error (error, where, "state", "is not a known channel state");
      return NULL;
    }

  if ((caller = get_object (object, where, "caller", TRUE, error)) == NULL
      || (connected = get_object (object, where, "connected", TRUE, error)) == NULL
      || (dialplan = get_object (object, where, "dialplan", TRUE, error)) == NULL)
    return NULL;

  if (!get_string (caller, &caller_where, "number", &channel->caller_number, error)
      || !get_string (caller, &caller_where, "name", &channel->caller_name, error)
      || !get_string (connected, &connected_where, "number", &channel->connected_number, error)
      || !get_string (connected, &connected_where, "name", &channel->connected_name, error)
      || !get_string (dialplan, &dialplan_where, "context", &channel->context, error)
      || !get_string (dialplan, &dialplan_where, "exten", &channel->exten, error)
      || !get_string (dialplan, &dialplan_where, "app_name", &channel->app_name, error)
      || !get_string (dialplan, &dialplan_where, "app_data", &channel->app_data, error)
      || !get_time (object, where, "creationtime", &channel->creation_time, error)
      || !get_string_map (object, where, "channelvars", &channel->variables, error))
    return NULL;

  return g_steal_pointer (&channel);
}

static OhAriChannel *
get_channel (JsonObject  *object,
             const Where *where,
             const char  *member,
             gboolean     required,
             GError     **error)
{
  Where channel_where = { where, member, 0 };
  JsonObject *channel = get_object (object, where, member, required, error);

  if (channel == NULL)
    return NULL;
  return channel_from_object (channel, &channel_where, error);
}

static OhAriBridge *
bridge_from_object (JsonObject  *object,
                    const Where *where,
                    GError     **error)
{
  g_autoptr(OhAriBridge) bridge = g_new0 (OhAriBridge, 1);

  g_atomic_ref_count_init (&bridge->ref_count);

  if (!get_string (object, where, "id", &bridge->id, error)
      || !get_string (object, where, "technology", &bridge->technology, error)
      || !get_string (object, where, "bridge_type", &bridge->bridge_type, error)
      || !get_string (object, where, "bridge_class", &bridge->bridge_class, error)
      || !get_string (object, where, "creator", &bridge->creator, error)
      || !get_string (object, where, "name", &bridge->name, error)
      || !get_strv (object, where, "channels", &bridge->channels, error)
      || !get_time (object, where, "creationtime", &bridge->creation_time, error))
    return NULL;

  return g_steal_pointer (&bridge);
}

static OhAriEndpoint *
endpoint_from_object (JsonObject  *object,
                      const Where *where,
                      GError     **error)
{
  g_autoptr(OhAriEndpoint) endpoint = g_new0 (OhAriEndpoint, 1);

  g_atomic_ref_count_init (&endpoint->ref_count);

  /* state is optional in the Swagger model */
  if (!get_string (object, where, "technology", &endpoint->technology, error)
      || !get_string (object, where, "resource", &endpoint->resource, error)
      || !get_optional_string (object, where, "state", &endpoint->state, error)
      || !get_strv (object, where, "channel_ids", &endpoint->channel_ids, error))
    return NULL;

  if (endpoint->state == NULL)
    endpoint->state = g_strdup ("unknown");

  return g_steal_pointer (&endpoint);
}

/* Events */

typedef enum {
  PART_CHANNEL = 1 << 0,
  PART_CHANNEL_OPTIONAL = 1 << 1,
  PART_BRIDGE = 1 << 2,
  PART_ENDPOINT = 1 << 3,
  PART_ENDPOINT_OPTIONAL = 1 << 4,
} EventParts;

typedef struct
{
  const char    *name;
  OhAriEventType type;
  EventParts     parts;
} EventKind;

/* Sorted by name for bsearch(); optional parts as in events.json. */
static const EventKind event_kinds[] = {
  { "BridgeCreated", OH_ARI_EVENT_BRIDGE_CREATED, PART_BRIDGE },
  { "BridgeDestroyed", OH_ARI_EVENT_BRIDGE_DESTROYED, PART_BRIDGE },
  { "ChannelCallerId", OH_ARI_EVENT_CHANNEL_CALLER_ID, PART_CHANNEL },
  { "ChannelConnectedLine", OH_ARI_EVENT_CHANNEL_CONNECTED_LINE, PART_CHANNEL },
  { "ChannelCreated", OH_ARI_EVENT_CHANNEL_CREATED, PART_CHANNEL },
  { "ChannelDestroyed", OH_ARI_EVENT_CHANNEL_DESTROYED, PART_CHANNEL },
  { "ChannelDialplan", OH_ARI_EVENT_CHANNEL_DIALPLAN, PART_CHANNEL },
  { "ChannelDtmfReceived", OH_ARI_EVENT_CHANNEL_DTMF_RECEIVED, PART_CHANNEL },
  { "ChannelEnteredBridge", OH_ARI_EVENT_CHANNEL_ENTERED_BRIDGE,
    PART_CHANNEL_OPTIONAL | PART_BRIDGE },
  { "ChannelHangupRequest", OH_ARI_EVENT_CHANNEL_HANGUP_REQUEST, PART_CHANNEL },
  { "ChannelHold", OH_ARI_EVENT_CHANNEL_HOLD, PART_CHANNEL },
  { "ChannelLeftBridge", OH_ARI_EVENT_CHANNEL_LEFT_BRIDGE, PART_CHANNEL | PART_BRIDGE },
  { "ChannelStateChange", OH_ARI_EVENT_CHANNEL_STATE_CHANGE, PART_CHANNEL },
  { "ChannelUnhold", OH_ARI_EVENT_CHANNEL_UNHOLD, PART_CHANNEL },
  { "ChannelVarset", OH_ARI_EVENT_CHANNEL_VARSET, PART_CHANNEL_OPTIONAL },
  { "ContactStatusChange", OH_ARI_EVENT_CONTACT_STATUS_CHANGE, PART_ENDPOINT },
  { "DeviceStateChanged", OH_ARI_EVENT_DEVICE_STATE_CHANGED, 0 },
  { "Dial", OH_ARI_EVENT_DIAL, 0 },
  { "EndpointStateChange", OH_ARI_EVENT_ENDPOINT_STATE_CHANGE, PART_ENDPOINT },
  { "PeerStatusChange", OH_ARI_EVENT_PEER_STATUS_CHANGE, PART_ENDPOINT },
  { "StasisEnd", OH_ARI_EVENT_STASIS_END, PART_CHANNEL },
  { "StasisStart", OH_ARI_EVENT_STASIS_START, PART_CHANNEL },
  { "TextMessageReceived", OH_ARI_EVENT_TEXT_MESSAGE_RECEIVED, PART_ENDPOINT_OPTIONAL },
};

static int
compare_event_kind (const void *key,
                    const void *element)
{
  return strcmp (key, ((const EventKind *) element)->name);
}

static const EventKind *
find_event_kind (const char *type_name)
{
  return bsearch (type_name, event_kinds, G_N_ELEMENTS (event_kinds), sizeof (EventKind),
                  compare_event_kind);
}

static gboolean
decode_parts (OhAriEvent *event,
              JsonObject *object,
              EventParts  parts,
              GError    **error)
{
  if (parts & (PART_CHANNEL | PART_CHANNEL_OPTIONAL))
    {
      event->channel = get_channel (object, NULL, "channel", parts & PART_CHANNEL, error);
      if (event->channel == NULL && (parts & PART_CHANNEL || lookup (object, "channel") != NULL))
        return FALSE;
    }

  if (parts & PART_BRIDGE)
    {
      Where where = { NULL, "bridge", 0 };
      JsonObject *bridge = get_object (object, NULL, "bridge", TRUE, error);

      if (bridge == NULL || (event->bridge = bridge_from_object (bridge, &where, error)) == NULL)
        return FALSE;
    }

  if (parts & (PART_ENDPOINT | PART_ENDPOINT_OPTIONAL))
    {
      Where where = { NULL, "endpoint", 0 };
      g_autoptr(GError) local_error = NULL;
      JsonObject *endpoint;

      endpoint = get_object (object, NULL, "endpoint", parts & PART_ENDPOINT, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (endpoint != NULL
          && (event->endpoint = endpoint_from_object (endpoint, &where, error)) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
decode_details (OhAriEvent *event,
                JsonObject *object,
                GError    **error)
{
  JsonObject *part;

  switch (event->type)
    {
    case OH_ARI_EVENT_STASIS_START:
      return get_strv (object, NULL, "args", &event->args, error);

    case OH_ARI_EVENT_CHANNEL_DESTROYED:
      return get_int (object, NULL, "cause", TRUE, &event->cause, error)
             && get_string (object, NULL, "cause_txt", &event->cause_txt, error);

    case OH_ARI_EVENT_CHANNEL_HANGUP_REQUEST:
      return get_int (object, NULL, "cause", FALSE, &event->cause, error);

    case OH_ARI_EVENT_CHANNEL_DTMF_RECEIVED:
      return get_string (object, NULL, "digit", &event->digit, error)
             && get_int (object, NULL, "duration_ms", TRUE, &event->duration_ms, error);

    case OH_ARI_EVENT_CHANNEL_VARSET:
      return get_string (object, NULL, "variable", &event->variable, error)
             && get_string (object, NULL, "value", &event->value, error);

    case OH_ARI_EVENT_DIAL:
      {
        g_autoptr(GError) local_error = NULL;

        /* The dialled channel is the one the event is about; the caller is
         * absent for an originate. */
        if ((event->channel = get_channel (object, NULL, "peer", TRUE, error)) == NULL)
          return FALSE;
        event->caller = get_channel (object, NULL, "caller", FALSE, &local_error);
        if (local_error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
        if (!get_string (object, NULL, "dialstatus", &event->dialstatus, error)
            || !get_optional_string (object, NULL, "dialstring", &event->dialstring, error))
          return FALSE;
        if (event->dialstring == NULL)
          event->dialstring = g_strdup ("");
        return TRUE;
      }

    case OH_ARI_EVENT_CONTACT_STATUS_CHANGE:
      {
        Where where = { NULL, "contact_info", 0 };
        const char *roundtrip;
        g_autoptr(GError) local_error = NULL;

        if ((part = get_object (object, NULL, "contact_info", TRUE, error)) == NULL
            || !get_string (part, &where, "uri", &event->contact_uri, error)
            || !get_string (part, &where, "contact_status", &event->contact_status, error)
            || !get_string (part, &where, "aor", &event->contact_aor, error))
          return FALSE;
        if (lookup (part, "roundtrip_usec") == NULL)
          return TRUE;
        /* ARI sends the round trip as a string of digits. */
        roundtrip = peek_string (part, &where, "roundtrip_usec", error);
        if (roundtrip == NULL)
          return FALSE;
        if (!g_ascii_string_to_signed (roundtrip, 10, 0, G_MAXINT64,
                                       &event->contact_roundtrip_usec, &local_error))
          return field_error (error, &where, "roundtrip_usec", "is not a number");
        return TRUE;
      }

    case OH_ARI_EVENT_PEER_STATUS_CHANGE:
      {
        Where where = { NULL, "peer", 0 };

        return (part = get_object (object, NULL, "peer", TRUE, error)) != NULL
               && get_string (part, &where, "peer_status", &event->peer_status, error);
      }

    case OH_ARI_EVENT_DEVICE_STATE_CHANGED:
      {
        Where where = { NULL, "device_state", 0 };

        return (part = get_object (object, NULL, "device_state", TRUE, error)) != NULL
               && get_string (part, &where, "name", &event->device_name, error)
               && get_string (part, &where, "state", &event->device_state, error);
      }

    case OH_ARI_EVENT_TEXT_MESSAGE_RECEIVED:
      {
        Where where = { NULL, "message", 0 };

        return (part = get_object (object, NULL, "message", TRUE, error)) != NULL
               && get_string (part, &where, "from", &event->message_from, error)
               && get_string (part, &where, "to", &event->message_to, error)
               && get_string (part, &where, "body", &event->message_body, error)
               && get_string_map (part, &where, "variables", &event->message_variables, error);
      }

    case OH_ARI_EVENT_UNKNOWN:
    case OH_ARI_EVENT_STASIS_END:
    case OH_ARI_EVENT_CHANNEL_CREATED:
    case OH_ARI_EVENT_CHANNEL_STATE_CHANGE:
    case OH_ARI_EVENT_CHANNEL_DIALPLAN:
    case OH_ARI_EVENT_CHANNEL_CALLER_ID:
    case OH_ARI_EVENT_CHANNEL_CONNECTED_LINE:
    case OH_ARI_EVENT_CHANNEL_HOLD:
    case OH_ARI_EVENT_CHANNEL_UNHOLD:
    case OH_ARI_EVENT_CHANNEL_ENTERED_BRIDGE:
    case OH_ARI_EVENT_CHANNEL_LEFT_BRIDGE:
    case OH_ARI_EVENT_BRIDGE_CREATED:
    case OH_ARI_EVENT_BRIDGE_DESTROYED:
    case OH_ARI_EVENT_ENDPOINT_STATE_CHANGE:
    default:
      return TRUE;
    }
}

/**
 * oh_ari_event_decode:
 * @data: one message from the events WebSocket
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Decodes an ARI event. A well-formed event of a type the daemon does not
 * use is returned as %OH_ARI_EVENT_UNKNOWN with its `type_name` set.
 *
 * Returns: (transfer full): the event, or %NULL with @error set
 */
OhAriEvent *
oh_ari_event_decode (const char *data,
                     gsize       length,
                     GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(OhAriEvent) event = NULL;
  const EventKind *kind;
  JsonObject *object;
  const char *type_name;

  if ((parser = parse_document (data, length, error)) == NULL
      || (object = root_object (parser, error)) == NULL
      || (type_name = peek_string (object, NULL, "type", error)) == NULL)
    return NULL;

  event = g_new0 (OhAriEvent, 1);
  g_atomic_ref_count_init (&event->ref_count);
  event->type_name = g_strdup (type_name);

  kind = find_event_kind (type_name);
  if (kind == NULL)
    {
      /* Not ours to judge, but what is there must still be well typed. */
      if (!get_optional_string (object, NULL, "application", &event->application, error))
        return NULL;
      if (lookup (object, "timestamp") != NULL
          && !get_time (object, NULL, "timestamp", &event->timestamp, error))
        return NULL;
      if (event->application == NULL)
        event->application = g_strdup ("");
      return g_steal_pointer (&event);
    }

  event->type = kind->type;
  if (!get_string (object, NULL, "application", &event->application, error)
      || !get_time (object, NULL, "timestamp", &event->timestamp, error)
      || !decode_parts (event, object, kind->parts, error)
      || !decode_details (event, object, error))
    return NULL;

  return g_steal_pointer (&event);
}

/* REST responses */

/**
 * oh_ari_channel_decode:
 * @data: a Channel as JSON (GET /channels/{id}, POST /channels, externalMedia)
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: (transfer full): the channel, or %NULL with @error set
 */
OhAriChannel *
oh_ari_channel_decode (const char *data,
                       gsize       length,
                       GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;

  if ((parser = parse_document (data, length, error)) == NULL
      || (object = root_object (parser, error)) == NULL)
    return NULL;
  return channel_from_object (object, NULL, error);
}

/**
 * oh_ari_bridge_decode:
 * @data: a Bridge as JSON (GET /bridges/{id}, POST /bridges)
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: (transfer full): the bridge, or %NULL with @error set
 */
OhAriBridge *
oh_ari_bridge_decode (const char *data,
                      gsize       length,
                      GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;

  if ((parser = parse_document (data, length, error)) == NULL
      || (object = root_object (parser, error)) == NULL)
    return NULL;
  return bridge_from_object (object, NULL, error);
}

/**
 * oh_ari_endpoint_decode:
 * @data: an Endpoint as JSON (GET /endpoints/{tech}/{resource})
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: (transfer full): the endpoint, or %NULL with @error set
 */
OhAriEndpoint *
oh_ari_endpoint_decode (const char *data,
                        gsize       length,
                        GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;

  if ((parser = parse_document (data, length, error)) == NULL
      || (object = root_object (parser, error)) == NULL)
    return NULL;
  return endpoint_from_object (object, NULL, error);
}

typedef gpointer (*ObjectDecodeFunc) (JsonObject  *object,
                                      const Where *where,
                                      GError     **error);

static GPtrArray *
list_decode (const char      *data,
             gsize            length,
             ObjectDecodeFunc decode,
             GDestroyNotify   free_func,
             GError         **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array;
  guint n;

  if ((parser = parse_document (data, length, error)) == NULL
      || (array = root_array (parser, error)) == NULL)
    return NULL;

  n = json_array_get_length (array);
  list = g_ptr_array_new_full (n, free_func);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      Where where = { NULL, NULL, i };
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          field_error (error, &where, NULL, "is not an object");
          return NULL;
        }
      if ((item = decode (json_node_get_object (element), &where, error)) == NULL)
        return NULL;
      g_ptr_array_add (list, item);
    }

  return g_steal_pointer (&list);
}

/**
 * oh_ari_channel_list_decode:
 * @data: GET /channels as JSON
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (element-type OhAriChannel): the channels, or
 *   %NULL with @error set
 */
GPtrArray *
oh_ari_channel_list_decode (const char *data,
                            gsize       length,
                            GError    **error)
{
  return list_decode (data, length, (ObjectDecodeFunc) channel_from_object,
                      (GDestroyNotify) oh_ari_channel_unref, error);
}

/**
 * oh_ari_bridge_list_decode:
 * @data: GET /bridges as JSON
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (element-type OhAriBridge): the bridges, or
 *   %NULL with @error set
 */
GPtrArray *
oh_ari_bridge_list_decode (const char *data,
                           gsize       length,
                           GError    **error)
{
  return list_decode (data, length, (ObjectDecodeFunc) bridge_from_object,
                      (GDestroyNotify) oh_ari_bridge_unref, error);
}

/**
 * oh_ari_endpoint_list_decode:
 * @data: GET /endpoints as JSON
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (element-type OhAriEndpoint): the endpoints, or
 *   %NULL with @error set
 */
GPtrArray *
oh_ari_endpoint_list_decode (const char *data,
                             gsize       length,
                             GError    **error)
{
  return list_decode (data, length, (ObjectDecodeFunc) endpoint_from_object,
                      (GDestroyNotify) oh_ari_endpoint_unref, error);
}

/**
 * oh_ari_info_decode:
 * @data: GET /asterisk/info as JSON
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: (transfer full): the info, or %NULL with @error set
 */
OhAriInfo *
oh_ari_info_decode (const char *data,
                    gsize       length,
                    GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(OhAriInfo) info = NULL;
  Where where = { NULL, "system", 0 };
  JsonObject *object, *system;

  if ((parser = parse_document (data, length, error)) == NULL
      || (object = root_object (parser, error)) == NULL
      || (system = get_object (object, NULL, "system", TRUE, error)) == NULL)
    return NULL;

  info = g_new0 (OhAriInfo, 1);
  if (!get_string (system, &where, "version", &info->version, error))
    return NULL;
  return g_steal_pointer (&info);
}

/**
 * oh_ari_config_decode:
 * @data: GET /asterisk/config/dynamic/... as JSON: a list of
 *   `{"attribute", "value"}`
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (element-type utf8 utf8): attribute → value, or
 *   %NULL with @error set
 */
GHashTable *
oh_ari_config_decode (const char *data,
                      gsize       length,
                      GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GHashTable) config = NULL;
  JsonArray *array;
  guint n;

  if ((parser = parse_document (data, length, error)) == NULL
      || (array = root_array (parser, error)) == NULL)
    return NULL;

  config = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      Where where = { NULL, NULL, i };
      JsonObject *tuple;
      const char *attribute, *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          field_error (error, &where, NULL, "is not an object");
          return NULL;
        }
      tuple = json_node_get_object (element);
      if ((attribute = peek_string (tuple, &where, "attribute", error)) == NULL
          || (value = peek_string (tuple, &where, "value", error)) == NULL)
        return NULL;
      g_hash_table_insert (config, g_strdup (attribute), g_strdup (value));
    }

  return g_steal_pointer (&config);
}

/**
 * oh_ari_variable_decode:
 * @data: GET /channels/{id}/variable as JSON: `{"value": ...}`
 * @length: its length in bytes
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: (transfer full): the value, or %NULL with @error set
 */
char *
oh_ari_variable_decode (const char *data,
                        gsize       length,
                        GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  char *value = NULL;

  if ((parser = parse_document (data, length, error)) == NULL
      || (object = root_object (parser, error)) == NULL
      || !get_string (object, NULL, "value", &value, error))
    return NULL;
  return value;
}

/**
 * oh_ari_error_message_decode:
 * @data: the body of an ARI error answer
 * @length: its length in bytes
 *
 * ARI says what went wrong in `{"message": ...}`, or for some 500 answers
 * in `{"error": ...}`; anything else (e.g. Asterisk's HTML pages for a
 * failed WebSocket upgrade) gives %NULL.
 *
 * Returns: (transfer full) (nullable): ARI's explanation
 */
char *
oh_ari_error_message_decode (const char *data,
                             gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  JsonNode *node;

  if ((parser = parse_document (data, length, NULL)) == NULL
      || (object = root_object (parser, NULL)) == NULL)
    return NULL;

  node = lookup (object, "message");
  if (node == NULL || !node_is_string (node))
    node = lookup (object, "error");
  if (node == NULL || !node_is_string (node))
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* Caller IDs and times */

static gboolean
is_phone_number (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isdigit (*text) && strchr ("+*#", *text) == NULL)
      return FALSE;
  return TRUE;
}

static char *
strip_copy (const char *start,
            gsize       length)
{
  return g_strstrip (g_strndup (start, length));
}

/**
 * oh_ari_parse_callerid:
 * @callerid: a caller ID as in the endpoint's `callerid` attribute:
 *   `"Carol Chen" <102>`, `Carol Chen <102>`, `<102>`, `102` or `Carol`
 * @name: (out) (optional): the name, "" if none
 * @number: (out) (optional): the number, "" if none
 *
 * Returns: %FALSE, leaving the outputs untouched, if @callerid is %NULL or
 *   malformed (an unclosed quote or angle bracket, or text after the `>`)
 */
gboolean
oh_ari_parse_callerid (const char *callerid,
                       char      **name,
                       char      **number)
{
  g_autofree char *found_name = NULL;
  g_autofree char *found_number = NULL;
  const char *p = callerid;
  const char *open, *close;

  if (callerid == NULL)
    return FALSE;

  while (g_ascii_isspace (*p))
    p++;

  if (*p == '"')
    {
      g_autoptr(GString) quoted = g_string_new (NULL);

      for (p++; *p != '"'; p++)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          if (*p == '\0')
            return FALSE;
          g_string_append_c (quoted, *p);
        }
      p++;
      found_name = g_strstrip (g_string_free (g_steal_pointer (&quoted), FALSE));
      while (g_ascii_isspace (*p))
        p++;
      open = (*p == '<') ? p : NULL;
      if (open == NULL && *p != '\0')
        return FALSE;
    }
  else
    {
      open = strchr (p, '<');
      if (open != NULL)
        found_name = strip_copy (p, open - p);
    }

  if (open != NULL)
    {
      close = strchr (open, '>');
      if (close == NULL)
        return FALSE;
      for (const char *rest = close + 1; *rest != '\0'; rest++)
        if (!g_ascii_isspace (*rest))
          return FALSE;
      found_number = strip_copy (open + 1, close - open - 1);
    }
  else if (found_name == NULL)
    {
      g_autofree char *plain = g_strstrip (g_strdup (p));

      if (is_phone_number (plain))
        found_number = g_steal_pointer (&plain);
      else
        found_name = g_steal_pointer (&plain);
    }

  if (name != NULL)
    *name = found_name != NULL ? g_steal_pointer (&found_name) : g_strdup ("");
  if (number != NULL)
    *number = found_number != NULL ? g_steal_pointer (&found_number) : g_strdup ("");
  return TRUE;
}

/* Reads exactly @n digits. */
static gboolean
read_digits (const char **p,
             guint        n,
             gint        *value)
{
  *value = 0;
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      *value = *value * 10 + ((*p)[i] - '0');
    }
  *p += n;
  return TRUE;
}

static gboolean
expect (const char **p,
        char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): no GDateTime or time zone objects per event. */
static gint64
days_from_civil (gint year,
                 gint month,
                 gint day)
{
  gint64 y = year - (month <= 2);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

static gint
days_in_month (gint year,
               gint month)
{
  static const gint days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
    return 29;
  return days[month - 1];
}

/**
 * oh_ari_parse_time:
 * @text: a time as Asterisk writes it: `2026-11-27T02:05:21.022+0000`
 *   (also accepted: no fraction, `Z`, `+hh:mm`, `+hh`)
 *
 * Returns: microseconds since the epoch, or -1 if @text is not such a
 *   time or is before 1970
 */
gint64
oh_ari_parse_time (const char *text)
{
  const char *p = text;
  gint year, month, day, hour, minute, second;
  gint64 usec = 0, result;
  gint offset = 0;

  if (text == NULL)
    return -1;

  if (!read_digits (&p, 4, &year) || !expect (&p, '-') || !read_digits (&p, 2, &month)
      || !expect (&p, '-') || !read_digits (&p, 2, &day) || !expect (&p, 'T')
      || !read_digits (&p, 2, &hour) || !expect (&p, ':') || !read_digits (&p, 2, &minute)
      || !expect (&p, ':') || !read_digits (&p, 2, &second))
    return -1;

  if (month < 1 || month > 12 || day < 1 || day > days_in_month (year, month) || hour > 23
      || minute > 59 || second > 59)
    return -1;

  if (*p == '.')
    {
      gint64 scale = 100000;

      p++;
      if (!g_ascii_isdigit (*p))
        return -1;
      for (; g_ascii_isdigit (*p); p++, scale /= 10)
        usec += (*p - '0') * scale;
    }

  if (*p == 'Z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      gint sign = (*p == '-') ? -1 : 1;
      gint off_hours, off_minutes = 0;

      p++;
      if (!read_digits (&p, 2, &off_hours))
        return -1;
      if (*p == ':')
        p++;
      if (*p != '\0' && !read_digits (&p, 2, &off_minutes))
        return -1;
      if (off_hours > 23 || off_minutes > 59)
        return -1;
      offset = sign * (off_hours * 3600 + off_minutes * 60);
    }
  else
    return -1;

  if (*p != '\0')
    return -1;

  result = (days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second
            - offset)
               * G_USEC_PER_SEC
           + usec;
  return result < 0 ? -1 : result;
}
