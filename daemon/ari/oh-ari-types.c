/* oh-ari-types.c: reference counting of the decoded ARI structs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <string.h>

#include "oh-ari-types.h"

G_DEFINE_BOXED_TYPE (OhAriChannel, oh_ari_channel, oh_ari_channel_ref, oh_ari_channel_unref)
G_DEFINE_BOXED_TYPE (OhAriBridge, oh_ari_bridge, oh_ari_bridge_ref, oh_ari_bridge_unref)
G_DEFINE_BOXED_TYPE (OhAriEndpoint, oh_ari_endpoint, oh_ari_endpoint_ref, oh_ari_endpoint_unref)
G_DEFINE_BOXED_TYPE (OhAriEvent, oh_ari_event, oh_ari_event_ref, oh_ari_event_unref)
G_DEFINE_BOXED_TYPE (OhAriInfo, oh_ari_info, oh_ari_info_copy, oh_ari_info_free)

/* As Asterisk's ast_state2str() spells them, in enum order. */
static const char * const channel_state_names[] = {
  [OH_ARI_CHANNEL_STATE_UNKNOWN] = "Unknown",
  [OH_ARI_CHANNEL_STATE_DOWN] = "Down",
  [OH_ARI_CHANNEL_STATE_RSRVD] = "Rsrvd",
  [OH_ARI_CHANNEL_STATE_OFFHOOK] = "OffHook",
  [OH_ARI_CHANNEL_STATE_DIALING] = "Dialing",
  [OH_ARI_CHANNEL_STATE_RING] = "Ring",
  [OH_ARI_CHANNEL_STATE_RINGING] = "Ringing",
  [OH_ARI_CHANNEL_STATE_UP] = "Up",
  [OH_ARI_CHANNEL_STATE_BUSY] = "Busy",
  [OH_ARI_CHANNEL_STATE_DIALING_OFFHOOK] = "Dialing Offhook",
  [OH_ARI_CHANNEL_STATE_PRERING] = "Pre-ring",
};

/**
 * oh_ari_channel_state_from_string:
 * @name: `channel.state` as ARI sent it
 * @state: (out): the state
 *
 * Asterisk reports a state it has no name for as "Unknown" or
 * "Unknown (N)"; both map to %OH_ARI_CHANNEL_STATE_UNKNOWN.
 *
 * Returns: %FALSE if @name is not a state Asterisk sends
 */
gboolean
oh_ari_channel_state_from_string (const char        *name,
                                  OhAriChannelState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  /* "Up" first: by far the most frequent state in an event stream. */
  for (guint i = G_N_ELEMENTS (channel_state_names); i-- > 0;)
    {
      if (strcmp (name, channel_state_names[i]) == 0)
        {
          *state = i;
          return TRUE;
        }
    }

  if (g_str_has_prefix (name, "Unknown ("))
    {
      *state = OH_ARI_CHANNEL_STATE_UNKNOWN;
      return TRUE;
    }

  return FALSE;
}

/**
 * oh_ari_channel_state_to_string:
 * @state: a channel state
 *
 * Returns: the name ARI uses for @state
 */
const char *
oh_ari_channel_state_to_string (OhAriChannelState state)
{
  if ((guint) state >= G_N_ELEMENTS (channel_state_names))
    return channel_state_names[OH_ARI_CHANNEL_STATE_UNKNOWN];
  return channel_state_names[state];
}

/**
 * oh_ari_channel_ref:
 * @channel: a channel
 *
 * Returns: (transfer full): @channel
 */
OhAriChannel *
oh_ari_channel_ref (OhAriChannel *channel)
{
  g_return_val_if_fail (channel != NULL, NULL);

  g_atomic_ref_count_inc (&channel->ref_count);
  return channel;
}

/**
 * oh_ari_channel_unref:
 * @channel: (transfer full): a channel
 *
 * Drops a reference, freeing @channel with the last one.
 */
void
oh_ari_channel_unref (OhAriChannel *channel)
{
  g_return_if_fail (channel != NULL);

  if (!g_atomic_ref_count_dec (&channel->ref_count))
    return;

  g_free (channel->id);
  g_free (channel->name);
  g_free (channel->caller_number);
  g_free (channel->caller_name);
  g_free (channel->connected_number);
  g_free (channel->connected_name);
  g_free (channel->context);
  g_free (channel->exten);
  g_free (channel->app_name);
  g_free (channel->app_data);
  g_clear_pointer (&channel->variables, g_hash_table_unref);
  g_free (channel);
}

/**
 * oh_ari_channel_get_variable:
 * @channel: a channel
 * @name: a variable name, e.g. %OH_ARI_VAR_MEDIA_CONNECTION_ID
 *
 * Returns: (nullable): the value from the channel's `channelvars`
 */
const char *
oh_ari_channel_get_variable (OhAriChannel *channel,
                             const char   *name)
{
  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (channel->variables == NULL)
    return NULL;
  return g_hash_table_lookup (channel->variables, name);
}

/**
 * oh_ari_bridge_ref:
 * @bridge: a bridge
 *
 * Returns: (transfer full): @bridge
 */
OhAriBridge *
oh_ari_bridge_ref (OhAriBridge *bridge)
{
  g_return_val_if_fail (bridge != NULL, NULL);

  g_atomic_ref_count_inc (&bridge->ref_count);
  return bridge;
}

/**
 * oh_ari_bridge_unref:
 * @bridge: (transfer full): a bridge
 *
 * Drops a reference, freeing @bridge with the last one.
 */
void
oh_ari_bridge_unref (OhAriBridge *bridge)
{
  g_return_if_fail (bridge != NULL);

  if (!g_atomic_ref_count_dec (&bridge->ref_count))
    return;

  g_free (bridge->id);
  g_free (bridge->technology);
  g_free (bridge->bridge_type);
  g_free (bridge->bridge_class);
  g_free (bridge->creator);
  g_free (bridge->name);
  g_strfreev (bridge->channels);
  g_free (bridge);
}

/**
 * oh_ari_endpoint_ref:
 * @endpoint: an endpoint
 *
 * Returns: (transfer full): @endpoint
 */
OhAriEndpoint *
oh_ari_endpoint_ref (OhAriEndpoint *endpoint)
{
  g_return_val_if_fail (endpoint != NULL, NULL);

  g_atomic_ref_count_inc (&endpoint->ref_count);
  return endpoint;
}

/**
 * oh_ari_endpoint_unref:
 * @endpoint: (transfer full): an endpoint
 *
 * Drops a reference, freeing @endpoint with the last one.
 */
void
oh_ari_endpoint_unref (OhAriEndpoint *endpoint)
{
  g_return_if_fail (endpoint != NULL);

  if (!g_atomic_ref_count_dec (&endpoint->ref_count))
    return;

  g_free (endpoint->technology);
  g_free (endpoint->resource);
  g_free (endpoint->state);
  g_strfreev (endpoint->channel_ids);
  g_free (endpoint);
}

/**
 * oh_ari_event_ref:
 * @event: an event
 *
 * Returns: (transfer full): @event
 */
OhAriEvent *
oh_ari_event_ref (OhAriEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  g_atomic_ref_count_inc (&event->ref_count);
  return event;
}

/**
 * oh_ari_event_unref:
 * @event: (transfer full): an event
 *
 * Drops a reference, freeing @event and the objects it holds with the last
 * one.
 */
void
oh_ari_event_unref (OhAriEvent *event)
{
  g_return_if_fail (event != NULL);

  if (!g_atomic_ref_count_dec (&event->ref_count))
    return;

  g_free (event->type_name);
  g_free (event->application);
  g_clear_pointer (&event->channel, oh_ari_channel_unref);
  g_clear_pointer (&event->caller, oh_ari_channel_unref);
  g_clear_pointer (&event->bridge, oh_ari_bridge_unref);
  g_clear_pointer (&event->endpoint, oh_ari_endpoint_unref);
  g_strfreev (event->args);
  g_free (event->dialstatus);
  g_free (event->dialstring);
  g_free (event->cause_txt);
  g_free (event->digit);
  g_free (event->variable);
  g_free (event->value);
  g_free (event->contact_uri);
  g_free (event->contact_status);
  g_free (event->contact_aor);
  g_free (event->peer_status);
  g_free (event->device_name);
  g_free (event->device_state);
  g_free (event->message_from);
  g_free (event->message_to);
  g_free (event->message_body);
  g_clear_pointer (&event->message_variables, g_hash_table_unref);
  g_free (event);
}

/**
 * oh_ari_info_copy:
 * @info: what GET /asterisk/info said
 *
 * Returns: (transfer full): a copy of @info
 */
OhAriInfo *
oh_ari_info_copy (const OhAriInfo *info)
{
  OhAriInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (OhAriInfo, 1);
  copy->version = g_strdup (info->version);
  return copy;
}

/**
 * oh_ari_info_free:
 * @info: (transfer full) (nullable): what GET /asterisk/info said
 *
 * Frees @info.
 */
void
oh_ari_info_free (OhAriInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->version);
  g_free (info);
}
