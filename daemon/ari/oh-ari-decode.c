/* oh-ari-decode.c: JSON from ARI → the typed structs of oh-ari-types.h
 *
 * One pass over the text per object (oh-ari-json.c), no tree: every field the
 * daemon uses is looked up once, type-checked and copied straight into its
 * struct. Fields the daemon does not use are checked as JSON but not looked
 * at, so a newer Asterisk that adds fields keeps working.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <stdlib.h>
#include <string.h>

#include "oh-ari-decode.h"
#include "oh-ari-json.h"

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
static const OhAriJsonValue *
lookup (const OhAriJsonObject *object,
        const char            *member)
{
  const OhAriJsonValue *value = oh_ari_json_object_get (object, member);

  if (value != NULL && value->type == OH_ARI_JSON_NULL)
    return NULL;
  return value;
}

/* The string at @member, or NULL with @error set. */
static const OhAriJsonValue *
find_string (const OhAriJsonObject *object,
             const Where           *where,
             const char            *member,
             GError               **error)
{
  const OhAriJsonValue *value = lookup (object, member);

  if (value == NULL)
    {
      field_error (error, where, member, "is missing");
      return NULL;
    }
  if (value->type != OH_ARI_JSON_STRING)
    {
      field_error (error, where, member, "is not a string");
      return NULL;
    }
  return value;
}

static gboolean
get_string (const OhAriJsonObject *object,
            const Where           *where,
            const char            *member,
            char                 **out,
            GError               **error)
{
  const OhAriJsonValue *value = find_string (object, where, member, error);

  if (value == NULL)
    return FALSE;
  *out = oh_ari_json_value_dup_string (value);
  return TRUE;
}

/* Leaves *out alone when @member is absent. */
static gboolean
get_optional_string (const OhAriJsonObject *object,
                     const Where           *where,
                     const char            *member,
                     char                 **out,
                     GError               **error)
{
  if (lookup (object, member) == NULL)
    return TRUE;
  return get_string (object, where, member, out, error);
}

static gboolean
get_int (const OhAriJsonObject *object,
         const Where           *where,
         const char            *member,
         gboolean               required,
         gint                  *out,
         GError               **error)
{
  const OhAriJsonValue *value = lookup (object, member);
  gint64 number;

  if (value == NULL)
    return required ? field_error (error, where, member, "is missing") : TRUE;
  if (value->type != OH_ARI_JSON_NUMBER || !(value->flags & OH_ARI_JSON_INTEGER))
    return field_error (error, where, member, "is not an integer");
  if (!oh_ari_json_value_get_int64 (value, &number) || number < G_MININT || number > G_MAXINT)
    return field_error (error, where, member, "is out of range");
  *out = (gint) number;
  return TRUE;
}

static const OhAriJsonValue *
get_object (const OhAriJsonObject *object,
            const Where           *where,
            const char            *member,
            gboolean               required,
            GError               **error)
{
  const OhAriJsonValue *value = lookup (object, member);

  if (value == NULL)
    {
      if (required)
        field_error (error, where, member, "is missing");
      return NULL;
    }
  if (value->type != OH_ARI_JSON_OBJECT)
    {
      field_error (error, where, member, "is not an object");
      return NULL;
    }
  return value;
}

static gboolean
get_time (const OhAriJsonObject *object,
          const Where           *where,
          const char            *member,
          gint64                *out,
          GError               **error)
{
  const OhAriJsonValue *value = find_string (object, where, member, error);
  g_auto(OhAriJsonText) text = { 0 };

  if (value == NULL)
    return FALSE;
  *out = oh_ari_parse_time (oh_ari_json_value_get_text (value, &text));
  if (*out < 0)
    return field_error (error, where, member, "is not a valid time");
  return TRUE;
}

static gboolean
get_strv (const OhAriJsonObject *object,
          const Where           *where,
          const char            *member,
          GStrv                 *out,
          GError               **error)
{
  const OhAriJsonValue *value = lookup (object, member);
  g_autoptr(GPtrArray) strv = NULL;
  OhAriJsonArrayIter iter;
  OhAriJsonValue element;

  if (value == NULL)
    return field_error (error, where, member, "is missing");
  if (value->type != OH_ARI_JSON_ARRAY)
    return field_error (error, where, member, "is not a list");

  strv = g_ptr_array_new_with_free_func (g_free);
  oh_ari_json_array_iter_init (&iter, value);
  while (oh_ari_json_array_iter_next (&iter, &element, error))
    {
      if (element.type != OH_ARI_JSON_STRING)
        {
          Where list = { where, member, 0 };
          Where item = { &list, NULL, iter.index - 1 };

          return field_error (error, &item, NULL, "is not a string");
        }
      g_ptr_array_add (strv, oh_ari_json_value_dup_string (&element));
    }
  if (!iter.done)
    return FALSE;

  g_ptr_array_add (strv, NULL);
  *out = (GStrv) g_ptr_array_free (g_steal_pointer (&strv), FALSE);
  return TRUE;
}

/* An object of string values (channelvars, message variables), or NULL
 * when absent. */
static gboolean
get_string_map (const OhAriJsonObject *object,
                const Where           *where,
                const char            *member,
                GHashTable           **out,
                GError               **error)
{
  g_autoptr(GHashTable) map = NULL;
  g_auto(OhAriJsonObject) vars = { 0 };
  const OhAriJsonValue *value;
  g_autoptr(GError) local_error = NULL;

  value = get_object (object, where, member, FALSE, &local_error);
  if (value == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!oh_ari_json_object_index (&vars, value, error))
    return FALSE;

  map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Last first: of a name given twice only the last value counts, and only
   * it needs to be a string (json-glib kept no other). */
  for (guint i = vars.n_members; i-- > 0;)
    {
      const OhAriJsonMember *var = &vars.members[i];
      g_autofree char *name = oh_ari_json_member_dup_name (var);

      if (g_hash_table_contains (map, name))
        continue;
      if (var->value.type != OH_ARI_JSON_STRING)
        {
          Where map_where = { where, member, 0 };

          return field_error (error, &map_where, name, "is not a string");
        }
      g_hash_table_insert (map, g_steal_pointer (&name), oh_ari_json_value_dup_string (&var->value));
    }

  *out = g_steal_pointer (&map);
  return TRUE;
}

/* json-glib still reads the media socket's JSON control messages
 * (oh-ari-media.c), after this pre-check. json-glib 1.6 recurses once per
 * level of nesting with no limit of its own, accepts (and leaks) data after
 * the first value, and mishandles some escapes. */

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
          if (++depth > OH_ARI_JSON_MAX_DEPTH)
            {
              g_set_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: nested deeper than %d levels", OH_ARI_JSON_MAX_DEPTH);
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

/* The checks every message gets before its first field is read. */
static gboolean
open_document (OhAriJsonDocument *document,
               const char        *data,
               gsize              length,
               OhAriJsonValue    *root,
               GError           **error)
{
  if (length > OH_ARI_MAX_MESSAGE_SIZE)
    {
      g_set_error (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                   "ARI message of %" G_GSIZE_FORMAT " bytes is larger than the %d accepted",
                   length, OH_ARI_MAX_MESSAGE_SIZE);
      return FALSE;
    }
  if (length == 0 || data == NULL)
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL, "Empty ARI message");
      return FALSE;
    }
  return oh_ari_json_document_open (document, data, length, root, error);
}

/* Indexes the document's object, which checks all of the document. */
static gboolean
read_root_object (const OhAriJsonDocument *document,
                  const OhAriJsonValue    *root,
                  OhAriJsonObject         *object,
                  GError                 **error)
{
  if (root->type != OH_ARI_JSON_OBJECT)
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: not a JSON object");
      return FALSE;
    }
  return oh_ari_json_object_index (object, root, error)
         && oh_ari_json_document_close (document, object->end, error);
}

static gboolean
root_is_array (const OhAriJsonValue *root,
               GError              **error)
{
  if (root->type != OH_ARI_JSON_ARRAY)
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: not a JSON list");
      return FALSE;
    }
  return TRUE;
}

/* Objects */

static OhAriChannel *
channel_from_object (const OhAriJsonObject *object,
                     const Where           *where,
                     GError               **error)
{
  g_autoptr(OhAriChannel) channel = g_new0 (OhAriChannel, 1);
  g_auto(OhAriJsonObject) part = { 0 };
  g_auto(OhAriJsonText) state = { 0 };
  Where caller_where = { where, "caller", 0 };
  Where connected_where = { where, "connected", 0 };
  Where dialplan_where = { where, "dialplan", 0 };
  const OhAriJsonValue *value, *caller, *connected, *dialplan;

  g_atomic_ref_count_init (&channel->ref_count);

  if (!get_string (object, where, "id", &channel->id, error)
      || !get_string (object, where, "name", &channel->name, error))
    return NULL;

  if ((value = find_string (object, where, "state", error)) == NULL)
    return NULL;
  if (!oh_ari_channel_state_from_string (oh_ari_json_value_get_text (value, &state),
                                         &channel->state))
    {
      field_error (error, where, "state", "is not a known channel state");
      return NULL;
    }

  if ((caller = get_object (object, where, "caller", TRUE, error)) == NULL
      || (connected = get_object (object, where, "connected", TRUE, error)) == NULL
      || (dialplan = get_object (object, where, "dialplan", TRUE, error)) == NULL)
    return NULL;

  if (!oh_ari_json_object_index (&part, caller, error)
      || !get_string (&part, &caller_where, "number", &channel->caller_number, error)
      || !get_string (&part, &caller_where, "name", &channel->caller_name, error)
      || !oh_ari_json_object_index (&part, connected, error)
      || !get_string (&part, &connected_where, "number", &channel->connected_number, error)
      || !get_string (&part, &connected_where, "name", &channel->connected_name, error)
      || !oh_ari_json_object_index (&part, dialplan, error)
      || !get_string (&part, &dialplan_where, "context", &channel->context, error)
      || !get_string (&part, &dialplan_where, "exten", &channel->exten, error)
      || !get_string (&part, &dialplan_where, "app_name", &channel->app_name, error)
      || !get_string (&part, &dialplan_where, "app_data", &channel->app_data, error)
      || !get_time (object, where, "creationtime", &channel->creation_time, error)
      || !get_string_map (object, where, "channelvars", &channel->variables, error))
    return NULL;

  return g_steal_pointer (&channel);
}

static OhAriChannel *
get_channel (const OhAriJsonObject *object,
             const Where           *where,
             const char            *member,
             gboolean               required,
             GError               **error)
{
  Where channel_where = { where, member, 0 };
  g_auto(OhAriJsonObject) channel = { 0 };
  const OhAriJsonValue *value = get_object (object, where, member, required, error);

  if (value == NULL || !oh_ari_json_object_index (&channel, value, error))
    return NULL;
  return channel_from_object (&channel, &channel_where, error);
}

static OhAriBridge *
bridge_from_object (const OhAriJsonObject *object,
                    const Where           *where,
                    GError               **error)
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
endpoint_from_object (const OhAriJsonObject *object,
                      const Where           *where,
                      GError               **error)
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
  /* Nothing in the daemon reads this type but its name: the document is
   * checked as JSON and its type, application and timestamp read, nothing
   * else. Most of what Asterisk sends is ChannelVarset, and decoding its
   * channel cost more than everything the daemon does with the other
   * events. Drop the flag (and read the event in decode_details()) before
   * handling such an event anywhere. */
  PART_UNUSED = 1 << 5,
} EventParts;

typedef struct
{
  const char    *name;
  OhAriEventType type;
  EventParts     parts;
} EventKind;

/* Sorted by name for bsearch(); optional parts as in events.json. */
static const EventKind event_kinds[] = {
  { "BridgeCreated", OH_ARI_EVENT_BRIDGE_CREATED, PART_BRIDGE | PART_UNUSED },
  { "BridgeDestroyed", OH_ARI_EVENT_BRIDGE_DESTROYED, PART_BRIDGE },
  { "ChannelCallerId", OH_ARI_EVENT_CHANNEL_CALLER_ID, PART_CHANNEL },
  { "ChannelConnectedLine", OH_ARI_EVENT_CHANNEL_CONNECTED_LINE, PART_CHANNEL },
  { "ChannelCreated", OH_ARI_EVENT_CHANNEL_CREATED, PART_CHANNEL },
  { "ChannelDestroyed", OH_ARI_EVENT_CHANNEL_DESTROYED, PART_CHANNEL },
  { "ChannelDialplan", OH_ARI_EVENT_CHANNEL_DIALPLAN, PART_CHANNEL | PART_UNUSED },
  { "ChannelDtmfReceived", OH_ARI_EVENT_CHANNEL_DTMF_RECEIVED, PART_CHANNEL },
  { "ChannelEnteredBridge", OH_ARI_EVENT_CHANNEL_ENTERED_BRIDGE,
    PART_CHANNEL_OPTIONAL | PART_BRIDGE },
  { "ChannelHangupRequest", OH_ARI_EVENT_CHANNEL_HANGUP_REQUEST, PART_CHANNEL },
  { "ChannelHold", OH_ARI_EVENT_CHANNEL_HOLD, PART_CHANNEL },
  { "ChannelLeftBridge", OH_ARI_EVENT_CHANNEL_LEFT_BRIDGE, PART_CHANNEL | PART_BRIDGE },
  { "ChannelStateChange", OH_ARI_EVENT_CHANNEL_STATE_CHANGE, PART_CHANNEL },
  { "ChannelUnhold", OH_ARI_EVENT_CHANNEL_UNHOLD, PART_CHANNEL },
  { "ChannelVarset", OH_ARI_EVENT_CHANNEL_VARSET, PART_CHANNEL_OPTIONAL | PART_UNUSED },
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
decode_parts (OhAriEvent            *event,
              const OhAriJsonObject *object,
              EventParts             parts,
              GError               **error)
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
      g_auto(OhAriJsonObject) bridge = { 0 };
      const OhAriJsonValue *value = get_object (object, NULL, "bridge", TRUE, error);

      if (value == NULL || !oh_ari_json_object_index (&bridge, value, error)
          || (event->bridge = bridge_from_object (&bridge, &where, error)) == NULL)
        return FALSE;
    }

  if (parts & (PART_ENDPOINT | PART_ENDPOINT_OPTIONAL))
    {
      Where where = { NULL, "endpoint", 0 };
      g_auto(OhAriJsonObject) endpoint = { 0 };
      g_autoptr(GError) local_error = NULL;
      const OhAriJsonValue *value;

      value = get_object (object, NULL, "endpoint", parts & PART_ENDPOINT, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (value != NULL
          && (!oh_ari_json_object_index (&endpoint, value, error)
              || (event->endpoint = endpoint_from_object (&endpoint, &where, error)) == NULL))
        return FALSE;
    }

  return TRUE;
}

/* @member of @object, an object, indexed into @part. */
static gboolean
get_part (const OhAriJsonObject *object,
          const char            *member,
          OhAriJsonObject       *part,
          GError               **error)
{
  const OhAriJsonValue *value = get_object (object, NULL, member, TRUE, error);

  return value != NULL && oh_ari_json_object_index (part, value, error);
}

static gboolean
decode_details (OhAriEvent            *event,
                const OhAriJsonObject *object,
                GError               **error)
{
  g_auto(OhAriJsonObject) part = { 0 };

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
        g_auto(OhAriJsonText) roundtrip = { 0 };
        const OhAriJsonValue *value;
        g_autoptr(GError) local_error = NULL;

        if (!get_part (object, "contact_info", &part, error)
            || !get_string (&part, &where, "uri", &event->contact_uri, error)
            || !get_string (&part, &where, "contact_status", &event->contact_status, error)
            || !get_string (&part, &where, "aor", &event->contact_aor, error))
          return FALSE;
        if (lookup (&part, "roundtrip_usec") == NULL)
          return TRUE;
        /* ARI sends the round trip as a string of digits. */
        if ((value = find_string (&part, &where, "roundtrip_usec", error)) == NULL)
          return FALSE;
        if (!g_ascii_string_to_signed (oh_ari_json_value_get_text (value, &roundtrip), 10, 0,
                                       G_MAXINT64, &event->contact_roundtrip_usec, &local_error))
          return field_error (error, &where, "roundtrip_usec", "is not a number");
        return TRUE;
      }

    case OH_ARI_EVENT_PEER_STATUS_CHANGE:
      {
        Where where = { NULL, "peer", 0 };

        return get_part (object, "peer", &part, error)
               && get_string (&part, &where, "peer_status", &event->peer_status, error);
      }

    case OH_ARI_EVENT_DEVICE_STATE_CHANGED:
      {
        Where where = { NULL, "device_state", 0 };

        return get_part (object, "device_state", &part, error)
               && get_string (&part, &where, "name", &event->device_name, error)
               && get_string (&part, &where, "state", &event->device_state, error);
      }

    case OH_ARI_EVENT_TEXT_MESSAGE_RECEIVED:
      {
        Where where = { NULL, "message", 0 };

        return get_part (object, "message", &part, error)
               && get_string (&part, &where, "from", &event->message_from, error)
               && get_string (&part, &where, "to", &event->message_to, error)
               && get_string (&part, &where, "body", &event->message_body, error)
               && get_string_map (&part, &where, "variables", &event->message_variables, error);
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
 * use is returned as %OH_ARI_EVENT_UNKNOWN with its `type_name` set. Of a
 * type the daemon knows but has no use for (ChannelVarset, ChannelDialplan,
 * BridgeCreated) only `type`, `type_name`, `application` and `timestamp` are
 * read; the whole message is still checked to be well-formed JSON.
 *
 * Returns: (transfer full): the event, or %NULL with @error set
 */
OhAriEvent *
oh_ari_event_decode (const char *data,
                     gsize       length,
                     GError    **error)
{
  g_auto(OhAriJsonObject) object = { 0 };
  g_autoptr(OhAriEvent) event = NULL;
  OhAriJsonDocument document;
  OhAriJsonValue root;
  const EventKind *kind;

  if (!open_document (&document, data, length, &root, error)
      || !read_root_object (&document, &root, &object, error))
    return NULL;

  event = g_new0 (OhAriEvent, 1);
  g_atomic_ref_count_init (&event->ref_count);
  if (!get_string (&object, NULL, "type", &event->type_name, error))
    return NULL;

  kind = find_event_kind (event->type_name);
  if (kind == NULL)
    {
      /* Not ours to judge, but what is there must still be well typed. */
      if (!get_optional_string (&object, NULL, "application", &event->application, error))
        return NULL;
      if (lookup (&object, "timestamp") != NULL
          && !get_time (&object, NULL, "timestamp", &event->timestamp, error))
        return NULL;
      if (event->application == NULL)
        event->application = g_strdup ("");
      return g_steal_pointer (&event);
    }

  event->type = kind->type;
  if (!get_string (&object, NULL, "application", &event->application, error)
      || !get_time (&object, NULL, "timestamp", &event->timestamp, error))
    return NULL;
  if (kind->parts & PART_UNUSED)
    return g_steal_pointer (&event);
  if (!decode_parts (event, &object, kind->parts, error)
      || !decode_details (event, &object, error))
    return NULL;

  return g_steal_pointer (&event);
}

/* REST responses */

typedef gpointer (*ObjectDecodeFunc) (const OhAriJsonObject *object,
                                      const Where           *where,
                                      GError               **error);

static gpointer
object_decode (const char      *data,
               gsize            length,
               ObjectDecodeFunc decode,
               GError         **error)
{
  g_auto(OhAriJsonObject) object = { 0 };
  OhAriJsonDocument document;
  OhAriJsonValue root;

  if (!open_document (&document, data, length, &root, error)
      || !read_root_object (&document, &root, &object, error))
    return NULL;
  return decode (&object, NULL, error);
}

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
  return object_decode (data, length, (ObjectDecodeFunc) channel_from_object, error);
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
  return object_decode (data, length, (ObjectDecodeFunc) bridge_from_object, error);
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
  return object_decode (data, length, (ObjectDecodeFunc) endpoint_from_object, error);
}

/* One element at a time: a list of 10,000 endpoints never exists as
 * anything but its text and the structs. */
static GPtrArray *
list_decode (const char      *data,
             gsize            length,
             ObjectDecodeFunc decode,
             GDestroyNotify   free_func,
             GError         **error)
{
  g_auto(OhAriJsonObject) object = { 0 };
  g_autoptr(GPtrArray) list = NULL;
  OhAriJsonDocument document;
  OhAriJsonValue root, element;
  OhAriJsonArrayIter iter;

  if (!open_document (&document, data, length, &root, error) || !root_is_array (&root, error))
    return NULL;

  list = g_ptr_array_new_with_free_func (free_func);
  oh_ari_json_array_iter_init (&iter, &root);
  while (oh_ari_json_array_iter_next (&iter, &element, error))
    {
      Where where = { NULL, NULL, iter.index - 1 };
      gpointer item;

      if (element.type != OH_ARI_JSON_OBJECT)
        {
          field_error (error, &where, NULL, "is not an object");
          return NULL;
        }
      if (!oh_ari_json_object_index (&object, &element, error)
          || (item = decode (&object, &where, error)) == NULL)
        return NULL;
      g_ptr_array_add (list, item);
    }
  if (!iter.done || !oh_ari_json_document_close (&document, iter.p, error))
    return NULL;

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

static OhAriInfo *
info_from_object (const OhAriJsonObject *object,
                  const Where           *where,
                  GError               **error)
{
  g_autoptr(OhAriInfo) info = g_new0 (OhAriInfo, 1);
  g_auto(OhAriJsonObject) system = { 0 };
  Where system_where = { NULL, "system", 0 };

  if (!get_part (object, "system", &system, error)
      || !get_string (&system, &system_where, "version", &info->version, error))
    return NULL;
  return g_steal_pointer (&info);
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
  return object_decode (data, length, (ObjectDecodeFunc) info_from_object, error);
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
  g_auto(OhAriJsonObject) tuple = { 0 };
  g_autoptr(GHashTable) config = NULL;
  OhAriJsonDocument document;
  OhAriJsonValue root, element;
  OhAriJsonArrayIter iter;

  if (!open_document (&document, data, length, &root, error) || !root_is_array (&root, error))
    return NULL;

  config = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  oh_ari_json_array_iter_init (&iter, &root);
  while (oh_ari_json_array_iter_next (&iter, &element, error))
    {
      Where where = { NULL, NULL, iter.index - 1 };
      const OhAriJsonValue *attribute, *value;

      if (element.type != OH_ARI_JSON_OBJECT)
        {
          field_error (error, &where, NULL, "is not an object");
          return NULL;
        }
      if (!oh_ari_json_object_index (&tuple, &element, error)
          || (attribute = find_string (&tuple, &where, "attribute", error)) == NULL
          || (value = find_string (&tuple, &where, "value", error)) == NULL)
        return NULL;
      g_hash_table_insert (config, oh_ari_json_value_dup_string (attribute),
                           oh_ari_json_value_dup_string (value));
    }
  if (!iter.done || !oh_ari_json_document_close (&document, iter.p, error))
    return NULL;

  return g_steal_pointer (&config);
}

static char *
variable_from_object (const OhAriJsonObject *object,
                      const Where           *where,
                      GError               **error)
{
  char *value = NULL;

  if (!get_string (object, where, "value", &value, error))
    return NULL;
  return value;
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
  return object_decode (data, length, (ObjectDecodeFunc) variable_from_object, error);
}

static char *
error_message_from_object (const OhAriJsonObject *object,
                           const Where           *where,
                           GError               **error)
{
  const OhAriJsonValue *value = lookup (object, "message");

  if (value == NULL || value->type != OH_ARI_JSON_STRING)
    value = lookup (object, "error");
  if (value == NULL || value->type != OH_ARI_JSON_STRING)
    return NULL;
  return oh_ari_json_value_dup_string (value);
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
  return object_decode (data, length, (ObjectDecodeFunc) error_message_from_object, NULL);
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
