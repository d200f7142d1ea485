/* fuzz-ari-event.c: the ARI decoder (events and REST answers) under libFuzzer
 *
 * The input is one message from the PBX. If its first byte is one of the
 * selector letters below, the rest goes to that REST decoder; otherwise the
 * whole input is an events-socket message for oh_ari_event_decode(), so a
 * raw event from a transcript is a valid seed as it is. No JSON document
 * starts with an upper-case letter, so the two never overlap.
 *
 * Whatever decodes must keep the promises of oh-ari-types.h (every string
 * field the type carries is non-NULL) and be valid UTF-8, since names,
 * numbers and error messages end up in D-Bus properties; and the IDs the
 * PBX chooses must make valid object paths (oh_bus_escape_path_element()).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "oh-ari-decode.h"
#include "oh-bus.h"
#include "oh-fuzz.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  oh_fuzz_init ();
  return 0;
}

/* As oh_bus_make_path() turns an ID into an object path. */
static void
check_path (const char *id)
{
  g_autofree char *element = oh_bus_escape_path_element (id);
  g_autofree char *path
      = g_strconcat ("/org/offhook/Offhook1/Session/", *element ? element : "_", NULL);

  if (!g_variant_is_object_path (path))
    OH_FUZZ_FAIL ("ID makes the invalid object path \"%s\"", path);
}

static void
check_strv (const char *what, GStrv strv)
{
  if (strv == NULL)
    OH_FUZZ_FAIL ("%s is NULL", what);
  for (guint i = 0; strv[i] != NULL; i++)
    oh_fuzz_check_utf8 (what, strv[i]);
}

static void
check_map (const char *what, GHashTable *map)
{
  GHashTableIter iter;
  gpointer key, value;

  if (map == NULL)
    return;
  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      oh_fuzz_check_string (what, key);
      oh_fuzz_check_string (what, value);
    }
}

static void
check_channel (OhAriChannel *channel)
{
  if (channel == NULL)
    OH_FUZZ_FAIL ("channel is NULL");
  oh_fuzz_check_string ("channel.id", channel->id);
  check_path (channel->id);
  oh_fuzz_check_string ("channel.name", channel->name);
  oh_fuzz_check_string ("channel.caller.number", channel->caller_number);
  oh_fuzz_check_string ("channel.caller.name", channel->caller_name);
  oh_fuzz_check_string ("channel.connected.number", channel->connected_number);
  oh_fuzz_check_string ("channel.connected.name", channel->connected_name);
  oh_fuzz_check_string ("channel.dialplan.context", channel->context);
  oh_fuzz_check_string ("channel.dialplan.exten", channel->exten);
  oh_fuzz_check_string ("channel.dialplan.app_name", channel->app_name);
  oh_fuzz_check_string ("channel.dialplan.app_data", channel->app_data);
  oh_fuzz_check_string ("channel state", oh_ari_channel_state_to_string (channel->state));
  if (channel->creation_time < 0)
    OH_FUZZ_FAIL ("channel.creationtime is negative");
  check_map ("channel.channelvars", channel->variables);
  /* The media connection id is read this way (externalMedia's answer). */
  oh_fuzz_check_utf8 ("channel variable",
                      oh_ari_channel_get_variable (channel, OH_ARI_VAR_MEDIA_CONNECTION_ID));
}

static void
check_bridge (OhAriBridge *bridge)
{
  if (bridge == NULL)
    OH_FUZZ_FAIL ("bridge is NULL");
  oh_fuzz_check_string ("bridge.id", bridge->id);
  check_path (bridge->id);
  oh_fuzz_check_string ("bridge.technology", bridge->technology);
  oh_fuzz_check_string ("bridge.bridge_type", bridge->bridge_type);
  oh_fuzz_check_string ("bridge.bridge_class", bridge->bridge_class);
  oh_fuzz_check_string ("bridge.creator", bridge->creator);
  oh_fuzz_check_string ("bridge.name", bridge->name);
  check_strv ("bridge.channels", bridge->channels);
  if (bridge->creation_time < 0)
    OH_FUZZ_FAIL ("bridge.creationtime is negative");
}

static void
check_endpoint (OhAriEndpoint *endpoint)
{
  if (endpoint == NULL)
    OH_FUZZ_FAIL ("endpoint is NULL");
  oh_fuzz_check_string ("endpoint.technology", endpoint->technology);
  oh_fuzz_check_string ("endpoint.resource", endpoint->resource);
  check_path (endpoint->resource);
  oh_fuzz_check_string ("endpoint.state", endpoint->state);
  check_strv ("endpoint.channel_ids", endpoint->channel_ids);
}

/* What each event type must carry, as the model and the session tracker
 * read it without checking again. */
static void
check_event (OhAriEvent *event)
{
  oh_fuzz_check_string ("event.type", event->type_name);
  oh_fuzz_check_string ("event.application", event->application);
  if (event->timestamp < 0)
    OH_FUZZ_FAIL ("event.timestamp is negative");

  /* Optional parts, when present, are complete. */
  if (event->channel != NULL)
    check_channel (event->channel);
  if (event->caller != NULL)
    check_channel (event->caller);
  if (event->bridge != NULL)
    check_bridge (event->bridge);
  if (event->endpoint != NULL)
    check_endpoint (event->endpoint);
  if (event->args != NULL)
    check_strv ("event.args", event->args);
  oh_fuzz_check_utf8 ("event.dialstatus", event->dialstatus);
  oh_fuzz_check_utf8 ("event.dialstring", event->dialstring);
  oh_fuzz_check_utf8 ("event.cause_txt", event->cause_txt);
  oh_fuzz_check_utf8 ("event.digit", event->digit);
  oh_fuzz_check_utf8 ("event.variable", event->variable);
  oh_fuzz_check_utf8 ("event.value", event->value);
  oh_fuzz_check_utf8 ("event.contact_info.uri", event->contact_uri);
  oh_fuzz_check_utf8 ("event.contact_info.contact_status", event->contact_status);
  oh_fuzz_check_utf8 ("event.contact_info.aor", event->contact_aor);
  oh_fuzz_check_utf8 ("event.peer.peer_status", event->peer_status);
  oh_fuzz_check_utf8 ("event.device_state.name", event->device_name);
  oh_fuzz_check_utf8 ("event.device_state.state", event->device_state);
  oh_fuzz_check_utf8 ("event.message.from", event->message_from);
  oh_fuzz_check_utf8 ("event.message.to", event->message_to);
  oh_fuzz_check_utf8 ("event.message.body", event->message_body);
  check_map ("event.message.variables", event->message_variables);

  switch (event->type)
    {
      case OH_ARI_EVENT_CHANNEL_VARSET:
      case OH_ARI_EVENT_CHANNEL_DIALPLAN:
      case OH_ARI_EVENT_BRIDGE_CREATED:
        /* Without a consumer in the daemon: read no further than this. */
        if (event->channel != NULL || event->bridge != NULL || event->variable != NULL
            || event->value != NULL)
          OH_FUZZ_FAIL ("%s read past its type", event->type_name);
        break;
      case OH_ARI_EVENT_STASIS_START:
        check_channel (event->channel);
        check_strv ("StasisStart args", event->args);
        break;
      case OH_ARI_EVENT_STASIS_END:
      case OH_ARI_EVENT_CHANNEL_CREATED:
      case OH_ARI_EVENT_CHANNEL_STATE_CHANGE:
      case OH_ARI_EVENT_CHANNEL_CALLER_ID:
      case OH_ARI_EVENT_CHANNEL_CONNECTED_LINE:
      case OH_ARI_EVENT_CHANNEL_HOLD:
      case OH_ARI_EVENT_CHANNEL_UNHOLD:
      case OH_ARI_EVENT_CHANNEL_HANGUP_REQUEST:
        check_channel (event->channel);
        break;
      case OH_ARI_EVENT_CHANNEL_DESTROYED:
        check_channel (event->channel);
        oh_fuzz_check_string ("ChannelDestroyed cause_txt", event->cause_txt);
        break;
      case OH_ARI_EVENT_CHANNEL_DTMF_RECEIVED:
        check_channel (event->channel);
        oh_fuzz_check_string ("ChannelDtmfReceived digit", event->digit);
        break;
      case OH_ARI_EVENT_CHANNEL_ENTERED_BRIDGE:
      case OH_ARI_EVENT_BRIDGE_DESTROYED:
        check_bridge (event->bridge);
        break;
      case OH_ARI_EVENT_CHANNEL_LEFT_BRIDGE:
        check_channel (event->channel);
        check_bridge (event->bridge);
        break;
      case OH_ARI_EVENT_DIAL:
        check_channel (event->channel);
        oh_fuzz_check_string ("Dial dialstatus", event->dialstatus);
        oh_fuzz_check_string ("Dial dialstring", event->dialstring);
        break;
      case OH_ARI_EVENT_ENDPOINT_STATE_CHANGE:
        check_endpoint (event->endpoint);
        break;
      case OH_ARI_EVENT_CONTACT_STATUS_CHANGE:
        check_endpoint (event->endpoint);
        oh_fuzz_check_string ("contact_info.uri", event->contact_uri);
        oh_fuzz_check_string ("contact_info.contact_status", event->contact_status);
        oh_fuzz_check_string ("contact_info.aor", event->contact_aor);
        if (event->contact_roundtrip_usec < 0)
          OH_FUZZ_FAIL ("contact_info.roundtrip_usec is negative");
        break;
      case OH_ARI_EVENT_PEER_STATUS_CHANGE:
        check_endpoint (event->endpoint);
        oh_fuzz_check_string ("peer.peer_status", event->peer_status);
        break;
      case OH_ARI_EVENT_DEVICE_STATE_CHANGED:
        oh_fuzz_check_string ("device_state.name", event->device_name);
        oh_fuzz_check_string ("device_state.state", event->device_state);
        break;
      case OH_ARI_EVENT_TEXT_MESSAGE_RECEIVED:
        oh_fuzz_check_string ("message.from", event->message_from);
        oh_fuzz_check_string ("message.to", event->message_to);
        oh_fuzz_check_string ("message.body", event->message_body);
        break;
      case OH_ARI_EVENT_UNKNOWN:
        break;
      default:
        OH_FUZZ_FAIL ("event type %d out of range", event->type);
    }
}

static void
fuzz_event (const char *data, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OhAriEvent) event = oh_ari_event_decode (data, size, &error);

  if (event == NULL)
    {
      oh_fuzz_check_error (error, OH_ARI_ERROR);
      return;
    }
  if (error != NULL)
    OH_FUZZ_FAIL ("an event and an error");
  check_event (event);
  /* The client hands events out by reference. */
  oh_ari_event_unref (oh_ari_event_ref (event));
}

typedef GPtrArray *(*ListDecodeFunc) (const char *data, gsize length, GError **error);
typedef void (*CheckFunc) (gpointer item);

static void
fuzz_list (const char *data, gsize size, ListDecodeFunc decode, CheckFunc check)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = decode (data, size, &error);

  if (list == NULL)
    {
      oh_fuzz_check_error (error, OH_ARI_ERROR);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    check (g_ptr_array_index (list, i));
}

static void
check_callerid (const char *callerid)
{
  g_autofree char *name = NULL;
  g_autofree char *number = NULL;

  if (!oh_ari_parse_callerid (callerid, &name, &number))
    {
      if (name != NULL || number != NULL)
        OH_FUZZ_FAIL ("callerid: outputs set on failure");
      return;
    }
  oh_fuzz_check_string ("callerid name", name);
  oh_fuzz_check_string ("callerid number", number);
}

static void
fuzz_config (const char *data, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) config = oh_ari_config_decode (data, size, &error);

  if (config == NULL)
    {
      oh_fuzz_check_error (error, OH_ARI_ERROR);
      return;
    }
  check_map ("config", config);
  /* As oh-pbx.c reads a user's name. */
  if (g_hash_table_contains (config, "callerid"))
    check_callerid (g_hash_table_lookup (config, "callerid"));
}

/* A caller ID as text: the parser must not read past the end, and valid
 * UTF-8 in gives valid UTF-8 out. */
static void
fuzz_callerid (const char *data, gsize size)
{
  g_autofree char *text = g_strndup (data, size);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *name = NULL;
      g_autofree char *number = NULL;

      oh_ari_parse_callerid (text, &name, &number);
      return;
    }
  check_callerid (text);
}

/* oh_ari_parse_time() against GLib's own ISO 8601 parser: where both accept
 * a time they must agree (GLib goes through a double, hence the 1 µs). */
static void
fuzz_time (const char *data, gsize size)
{
  g_autofree char *text = g_strndup (data, size);
  gint64 ours = oh_ari_parse_time (text);
  g_autoptr (GDateTime) theirs = NULL;
  gint64 theirs_usec;

  if (ours < -1)
    OH_FUZZ_FAIL ("time %" G_GINT64_FORMAT " below -1", ours);
  if (ours < 0 || strlen (text) != size || !g_utf8_validate (text, -1, NULL))
    return;
  theirs = g_date_time_new_from_iso8601 (text, NULL);
  if (theirs == NULL)
    return;
  theirs_usec
      = g_date_time_to_unix (theirs) * G_USEC_PER_SEC + g_date_time_get_microsecond (theirs);
  if (ABS (theirs_usec - ours) > 1)
    OH_FUZZ_FAIL ("time \"%s\": %" G_GINT64_FORMAT " µs, GLib says %" G_GINT64_FORMAT, text, ours,
                  theirs_usec);
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes, size_t size)
{
  const char *data = (const char *)bytes;
  const char *rest = data + 1;
  gsize rest_size = size > 0 ? size - 1 : 0;
  g_autoptr (GError) error = NULL;

  if (size == 0)
    {
      fuzz_event (data, size);
      return 0;
    }

  switch (data[0])
    {
      case 'C': /* GET /channels */
        fuzz_list (rest, rest_size, oh_ari_channel_list_decode, (CheckFunc)check_channel);
        break;
      case 'E': /* GET /endpoints */
        fuzz_list (rest, rest_size, oh_ari_endpoint_list_decode, (CheckFunc)check_endpoint);
        break;
      case 'B': /* GET /bridges */
        fuzz_list (rest, rest_size, oh_ari_bridge_list_decode, (CheckFunc)check_bridge);
        break;
      case 'H': /* GET /channels/{id}, POST /channels, externalMedia */
        {
          g_autoptr (OhAriChannel) channel = oh_ari_channel_decode (rest, rest_size, &error);

          if (channel != NULL)
            check_channel (channel);
          else
            oh_fuzz_check_error (error, OH_ARI_ERROR);
          break;
        }
      case 'R': /* GET /bridges/{id}, POST /bridges */
        {
          g_autoptr (OhAriBridge) bridge = oh_ari_bridge_decode (rest, rest_size, &error);

          if (bridge != NULL)
            check_bridge (bridge);
          else
            oh_fuzz_check_error (error, OH_ARI_ERROR);
          break;
        }
      case 'P': /* GET /endpoints/{tech}/{resource} */
        {
          g_autoptr (OhAriEndpoint) endpoint = oh_ari_endpoint_decode (rest, rest_size, &error);

          if (endpoint != NULL)
            check_endpoint (endpoint);
          else
            oh_fuzz_check_error (error, OH_ARI_ERROR);
          break;
        }
      case 'I': /* GET /asterisk/info */
        {
          g_autoptr (OhAriInfo) info = oh_ari_info_decode (rest, rest_size, &error);

          if (info != NULL)
            oh_fuzz_check_string ("info.system.version", info->version);
          else
            oh_fuzz_check_error (error, OH_ARI_ERROR);
          break;
        }
      case 'G': /* GET /asterisk/config/dynamic/... */
        fuzz_config (rest, rest_size);
        break;
      case 'V': /* GET /channels/{id}/variable */
        {
          g_autofree char *value = oh_ari_variable_decode (rest, rest_size, &error);

          if (value != NULL)
            oh_fuzz_check_utf8 ("variable value", value);
          else
            oh_fuzz_check_error (error, OH_ARI_ERROR);
          break;
        }
      case 'M': /* an error answer's body: its text becomes a D-Bus error */
        {
          g_autofree char *message = oh_ari_error_message_decode (rest, rest_size);

          oh_fuzz_check_utf8 ("error message", message);
          break;
        }
      case 'L': /* the endpoint's callerid attribute */
        fuzz_callerid (rest, rest_size);
        break;
      case 'T': /* timestamps and creationtime */
        fuzz_time (rest, rest_size);
        break;
      default: /* one events-socket message */
        fuzz_event (data, size);
        break;
    }

  return 0;
}
