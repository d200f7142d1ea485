/* oh-call-audio.c: the audio of one call: an externalMedia channel, its
 * media socket, and the GStreamer pipeline between them and the devices
 *
 * From the recorded Asterisk: externalMedia (transport=websocket,
 * connection_type=server, encapsulation=none) answers with
 * MEDIA_WEBSOCKET_CONNECTION_ID in its channel variables; the socket is
 * /media/<that id> on the ARI port, and the id is its only credential, so
 * it is never logged nor put on the bus. The channel enters Stasis only
 * once the socket is connected, so the manager bridges it on its
 * StasisStart. slin16 is asked for first, ulaw when the PBX refuses it.
 *
 * When the socket or the channel goes away while the call goes on, the
 * audio is stalled and reconnected with a new channel, a few times.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include "media/oh-media-pipeline.h"
#include "oh-ari-media.h"
#include "oh-call-audio.h"

#define MAX_RECONNECTS 3
#define RECONNECT_DELAY_MS 300

struct _OhCallAudio
{
  GObject parent_instance;

  OhAriClient     *client;
  OhCall          *call;
  char            *source_desc;
  char            *sink_desc;

  GCancellable    *cancellable;
  char            *channel_id;
  const char      *format;      /* "slin16", then "ulaw" */
  OhAriMedia      *media;
  OhMediaPipeline *pipeline;
  guint            reconnects;
  guint            reconnect_id;
  gboolean         held;
  gboolean         stopped;
};

G_DEFINE_FINAL_TYPE (OhCallAudio, oh_call_audio, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANNEL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void create_channel (OhCallAudio *self);

static void
set_audio_state (OhCallAudio *self,
                 OhAudioState state)
{
  oh_call_set_audio_state (self->call, state);
}

static void
on_pipeline_state (OhMediaPipeline *pipeline,
                   GParamSpec      *pspec,
                   OhCallAudio     *self)
{
  /* The pipeline's states are the Call's, by design. */
  OhMediaAudioState state = oh_media_pipeline_get_audio_state (pipeline);

  if (state == OH_MEDIA_AUDIO_STATE_FAILED)
    g_warning ("Call %s: %s", oh_call_get_id (self->call),
               oh_media_pipeline_get_last_error (pipeline));
  if (!self->held)
    set_audio_state (self, (OhAudioState) state);
}

static void
on_captured_frame (const guint8 *data,
                   gsize         length,
                   gpointer      user_data)
{
  OhCallAudio *self = user_data;

  if (self->media)
    oh_ari_media_send_frame (self->media, data, length);
}

static void
drop_pipeline (OhCallAudio *self)
{
  if (self->pipeline == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->pipeline, self);
  oh_media_pipeline_stop (self->pipeline);
  g_clear_object (&self->pipeline);
}

static void
on_muted (OhCall      *call,
          GParamSpec  *pspec,
          OhCallAudio *self)
{
  if (self->pipeline)
    oh_media_pipeline_set_muted (self->pipeline, oh_call_get_muted (call));
}

static void
on_media_started (OhAriMedia  *media,
                  const char  *format_name,
                  guint        frame_size,
                  guint        ptime,
                  OhCallAudio *self)
{
  g_autoptr(GError) error = NULL;
  OhMediaFormat format;

  drop_pipeline (self);
  if (!oh_media_format_init (&format, format_name, frame_size, ptime, &error))
    {
      g_warning ("Call %s: the PBX offers audio Offhook cannot play: %s",
                 oh_call_get_id (self->call), error->message);
      set_audio_state (self, OH_AUDIO_STATE_FAILED);
      return;
    }
  self->pipeline = oh_media_pipeline_new (&format, self->source_desc, self->sink_desc, &error);
  if (self->pipeline == NULL)
    {
      g_warning ("Call %s: no audio: %s", oh_call_get_id (self->call), error->message);
      set_audio_state (self, OH_AUDIO_STATE_FAILED);
      return;
    }
  g_debug ("Call %s: audio %s, %u bytes every %u ms", oh_call_get_id (self->call), format_name,
           frame_size, ptime);
  oh_media_pipeline_set_frame_func (self->pipeline, on_captured_frame, self, NULL);
  oh_media_pipeline_set_muted (self->pipeline, oh_call_get_muted (self->call));
  oh_media_pipeline_set_held (self->pipeline, self->held);
  g_signal_connect (self->pipeline, "notify::audio-state", G_CALLBACK (on_pipeline_state), self);
  on_pipeline_state (self->pipeline, NULL, self);
}

static void
on_media_frame (OhAriMedia  *media,
                GBytes      *frame,
                OhCallAudio *self)
{
  if (self->pipeline)
    oh_media_pipeline_push_frame (self->pipeline, frame);
}

static void
on_media_flow (OhAriMedia  *media,
               gboolean     paused,
               OhCallAudio *self)
{
  g_debug ("Call %s: the PBX asks us to %s sending", oh_call_get_id (self->call),
           paused ? "pause" : "resume");
  if (self->pipeline)
    oh_media_pipeline_set_sending_paused (self->pipeline, paused);
}

static void
on_reconnect (gpointer user_data)
{
  OhCallAudio *self = user_data;

  self->reconnect_id = 0;
  create_channel (self);
}

static void
media_lost (OhCallAudio *self)
{
  if (self->stopped || self->reconnect_id)
    return;
  if (self->media)
    {
      g_signal_handlers_disconnect_by_data (self->media, self);
      g_clear_object (&self->media);
    }
  /* Keep the devices until new audio comes; the Call shows stalled. */
  set_audio_state (self, OH_AUDIO_STATE_STALLED);
  if (self->reconnects >= MAX_RECONNECTS)
    {
      g_warning ("Call %s: the audio connection keeps failing; giving up",
                 oh_call_get_id (self->call));
      drop_pipeline (self);
      set_audio_state (self, OH_AUDIO_STATE_FAILED);
      return;
    }
  self->reconnects++;
  g_message ("Call %s: the audio connection was lost; reconnecting", oh_call_get_id (self->call));
  self->reconnect_id = g_timeout_add_once (RECONNECT_DELAY_MS, on_reconnect, self);
}

static void
on_media_closed (OhAriMedia  *media,
                 gboolean     unexpected,
                 OhCallAudio *self)
{
  if (!self->stopped)
    media_lost (self);
}

static void
on_media_connected (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OhCallAudio) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) ws = (GObject *) oh_ari_client_media_connect_finish (OH_ARI_CLIENT (source),
                                                                              result, &error);

  if (self->stopped)
    return;
  if (ws == NULL)
    {
      g_message ("Call %s: cannot open the audio connection: %s", oh_call_get_id (self->call),
                 error->message);
      media_lost (self);
      return;
    }
  self->media = oh_ari_media_new (ws, TRUE);
  g_signal_connect (self->media, "started", G_CALLBACK (on_media_started), self);
  g_signal_connect (self->media, "frame", G_CALLBACK (on_media_frame), self);
  g_signal_connect (self->media, "flow", G_CALLBACK (on_media_flow), self);
  g_signal_connect (self->media, "closed", G_CALLBACK (on_media_closed), self);
}

static void
on_channel_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OhCallAudio) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OhAriChannel) channel = oh_ari_client_external_media_finish (OH_ARI_CLIENT (source),
                                                                         result, &error);
  const char *connection_id;

  if (self->stopped)
    {
      if (channel)
        oh_ari_client_hangup_async (self->client, channel->id, NULL, NULL, NULL, NULL);
      return;
    }
  if (channel == NULL && g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_SERVER) &&
      g_str_equal (self->format, "slin16"))
    {
      /* This PBX has no wideband for us: narrowband then. */
      g_message ("The PBX refused slin16 audio (%s); asking for ulaw", error->message);
      self->format = "ulaw";
      create_channel (self);
      return;
    }
  if (channel == NULL)
    {
      g_message ("Call %s: no audio channel: %s", oh_call_get_id (self->call), error->message);
      media_lost (self);
      return;
    }

  connection_id = oh_ari_channel_get_variable (channel, OH_ARI_VAR_MEDIA_CONNECTION_ID);
  if (connection_id == NULL || *connection_id == '\0')
    {
      g_warning ("Call %s: the PBX gave the audio channel no connection id",
                 oh_call_get_id (self->call));
      set_audio_state (self, OH_AUDIO_STATE_FAILED);
      return;
    }
  oh_ari_client_media_connect_async (self->client, connection_id, self->cancellable,
                                     on_media_connected, g_object_ref (self));
}

static void
create_channel (OhCallAudio *self)
{
  g_autofree char *uuid = g_uuid_string_random ();

  g_free (self->channel_id);
  self->channel_id = g_strconcat ("offhook-media-", uuid, NULL);
  set_audio_state (self, oh_call_get_audio_state (self->call) == OH_AUDIO_STATE_NONE
                           ? OH_AUDIO_STATE_CONNECTING
                           : oh_call_get_audio_state (self->call));
  g_signal_emit (self, signals[SIGNAL_CHANNEL_CREATED], 0, self->channel_id);
  /* JSON control messages: every field typed, none to guess. */
  oh_ari_client_external_media_async (self->client, self->format, "f(json)", self->channel_id,
                                      self->cancellable, on_channel_created, g_object_ref (self));
}

void
oh_call_audio_start (OhCallAudio *self)
{
  g_return_if_fail (OH_IS_CALL_AUDIO (self));
  if (self->stopped || self->channel_id)
    return;
  create_channel (self);
}

void
oh_call_audio_channel_gone (OhCallAudio *self,
                            const char  *channel_id)
{
  if (g_strcmp0 (channel_id, self->channel_id) == 0)
    media_lost (self);
}

void
oh_call_audio_set_held (OhCallAudio *self,
                        gboolean     held)
{
  self->held = held;
  if (self->pipeline)
    oh_media_pipeline_set_held (self->pipeline, held);
  /* Both directions stop and the devices are released while held. */
  if (held)
    set_audio_state (self, OH_AUDIO_STATE_NONE);
  else if (self->pipeline)
    on_pipeline_state (self->pipeline, NULL, self);
}

void
oh_call_audio_stop (OhCallAudio *self)
{
  g_return_if_fail (OH_IS_CALL_AUDIO (self));
  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->media)
    {
      g_signal_handlers_disconnect_by_data (self->media, self);
      oh_ari_media_hangup (self->media);
      g_clear_object (&self->media);
    }
  if (self->channel_id)
    oh_ari_client_hangup_async (self->client, self->channel_id, "normal", NULL, NULL, NULL);
  drop_pipeline (self);
  set_audio_state (self, OH_AUDIO_STATE_NONE);
}

const char *
oh_call_audio_get_channel_id (OhCallAudio *self)
{
  return self->channel_id;
}

static void
oh_call_audio_dispose (GObject *object)
{
  OhCallAudio *self = OH_CALL_AUDIO (object);

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->media)
    {
      g_signal_handlers_disconnect_by_data (self->media, self);
      g_clear_object (&self->media);
    }
  drop_pipeline (self);
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->call);
  G_OBJECT_CLASS (oh_call_audio_parent_class)->dispose (object);
}

static void
oh_call_audio_finalize (GObject *object)
{
  OhCallAudio *self = OH_CALL_AUDIO (object);

  g_free (self->source_desc);
  g_free (self->sink_desc);
  g_free (self->channel_id);
  G_OBJECT_CLASS (oh_call_audio_parent_class)->finalize (object);
}

static void
oh_call_audio_class_init (OhCallAudioClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_call_audio_dispose;
  G_OBJECT_CLASS (klass)->finalize = oh_call_audio_finalize;

  signals[SIGNAL_CHANNEL_CREATED] =
    g_signal_new ("channel-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
oh_call_audio_init (OhCallAudio *self)
{
  self->cancellable = g_cancellable_new ();
  self->format = "slin16";
}

OhCallAudio *
oh_call_audio_new (OhAriClient *client,
                   OhCall      *call,
                   const char  *source_desc,
                   const char  *sink_desc)
{
  OhCallAudio *self = g_object_new (OH_TYPE_CALL_AUDIO, NULL);

  self->client = g_object_ref (client);
  self->call = g_object_ref (call);
  self->source_desc = g_strdup (source_desc);
  self->sink_desc = g_strdup (sink_desc);
  g_signal_connect (call, "notify::muted", G_CALLBACK (on_muted), self);
  return self;
}
