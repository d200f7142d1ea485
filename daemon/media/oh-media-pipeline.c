/* oh-media-pipeline.c: the audio of one call, between frames and devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One GStreamer pipeline per call (OhMediaGraph): received frames go through
 * an appsrc, whose queue is the jitter buffer (OhMediaPlayback), to the
 * speaker; the microphone's audio through webrtcdsp to an appsink, cut into
 * frames of exactly the announced size for the main context (OhMediaFramer).
 * This object owns the lifecycle: start, hold, stop, failures, the audio
 * state, mute and flow control.
 *
 * Threads: everything here runs on the main context the pipeline was
 * created in; GStreamer's streaming threads only enter OhMediaPlayback,
 * OhMediaFramer and the bus's sync handler, which queues the messages that
 * matter for the main context.
 */
#define G_LOG_DOMAIN "offhook-media"

#include <glib/gi18n.h>
#include <gst/app/app.h>

#include "oh-error.h"
#include "oh-media-framer.h"
#include "oh-media-graph.h"
#include "oh-media-pipeline.h"
#include "oh-media-playback.h"
#include "oh-util.h"

/* A received frame is heard this long after it arrived (or after the sink's
 * own latency, if longer): the slack for the jitter of the PBX's frames.
 * Each ms of it is a ms of mouth-to-ear delay for the user, and a frame
 * later than it leaves a gap. A LAN PBX sends its frames over TCP a few ms
 * apart from their time, more while it or this machine is busy: 30 ms
 * absorbs that with room, and keeps frame arrival to speaker well within
 * 40 ms (the delay comes back to the target within a second of a burst,
 * see OhMediaJitter). A PBX far away, whose phones' RTP jitter it passes
 * on unbuffered, would want 60 ms or more... */
#define JITTER_TARGET (30 * GST_MSECOND)
/* ...and the oldest audio is dropped when a frame would wait longer. */
#define JITTER_LIMIT (80 * GST_MSECOND)
/* Captured audio the main loop has not collected yet, before it is dropped. */
#define MAX_PENDING_OUT (500 * GST_MSECOND)
#define STALL_TIMEOUT_US G_USEC_PER_SEC

struct _OhMediaPipeline
{
  GObject parent_instance;

  OhMediaFormat format;
  GMainContext *context;

  OhMediaGraph graph;
  GSource *bus_source;
  GMutex bus_lock;
  GQueue bus_messages;
  OhMediaPlayback *playback;
  OhMediaFramer *framer;
  GSource *stall_source;

  OhMediaAudioState audio_state;
  char *last_error;
  gboolean muted;
  gboolean held;
  gboolean sending_paused;
  gboolean stopped;
  gint64 last_frame_us;

  OhMediaFrameFunc frame_func;
  gpointer frame_data;
  GDestroyNotify frame_destroy;

  /* Main context only. */
  guint64 frames_in;
  guint64 frames_out;
  guint64 frames_out_skipped;
};

G_DEFINE_FINAL_TYPE (OhMediaPipeline, oh_media_pipeline, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AUDIO_STATE,
  PROP_LAST_ERROR,
  PROP_MUTED,
  PROP_HELD,
  PROP_SENDING_PAUSED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *const audio_state_names[] = {
  [OH_MEDIA_AUDIO_STATE_NONE] = "none",
  [OH_MEDIA_AUDIO_STATE_CONNECTING] = "connecting",
  [OH_MEDIA_AUDIO_STATE_FLOWING] = "flowing",
  [OH_MEDIA_AUDIO_STATE_STALLED] = "stalled",
  [OH_MEDIA_AUDIO_STATE_FAILED] = "failed",
};

/**
 * oh_media_audio_state_to_string:
 *
 * Returns: the state as the D-Bus API spells it.
 */
const char *
oh_media_audio_state_to_string (OhMediaAudioState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (audio_state_names), "none");
  return audio_state_names[state];
}

/* A timer that costs nothing per frame: armed by setting its ready time,
 * only on the way into `flowing`. */
static gboolean
ready_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs ready_source_funcs = {
  .dispatch = ready_source_dispatch,
};

static GSource *
ready_source_new (GMainContext *context,
                  const char   *name,
                  GSourceFunc   func,
                  gpointer      user_data)
{
  GSource *source = g_source_new (&ready_source_funcs, sizeof (GSource));

  g_source_set_name (source, name);
  g_source_set_callback (source, func, user_data, NULL);
  g_source_attach (source, context);
  return source;
}

static void
set_audio_state (OhMediaPipeline   *self,
                 OhMediaAudioState  state)
{
  if (self->audio_state == state)
    return;

  g_debug ("%s: audio %s -> %s",
           self->graph.pipeline ? GST_OBJECT_NAME (self->graph.pipeline) : "unbuilt pipeline",
           audio_state_names[self->audio_state], audio_state_names[state]);
  self->audio_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_AUDIO_STATE]);
}

static void
fail (OhMediaPipeline *self,
      const char      *message)
{
  g_warning ("Call audio failed: %s", message);
  if (oh_set_str (&self->last_error, message))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_ERROR]);
  if (self->graph.pipeline != NULL)
    gst_element_set_state (self->graph.pipeline, GST_STATE_NULL);
  set_audio_state (self, OH_MEDIA_AUDIO_STATE_FAILED);
}

static void
on_pipeline_error (OhMediaPipeline *self,
                   GstMessage      *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *text = NULL;
  GstObject *src = GST_MESSAGE_SRC (message);

  gst_message_parse_error (message, &error, &debug);
  g_debug ("Error from %s: %s (%s)", src ? GST_OBJECT_NAME (src) : "?", error->message,
           debug ? debug : "");

  /* The first error is the cause; the rest are its consequences. */
  if (self->audio_state == OH_MEDIA_AUDIO_STATE_FAILED)
    return;

  switch (oh_media_graph_find_part (&self->graph, src))
    {
    case OH_MEDIA_GRAPH_PART_OUTPUT:
      text = g_strdup_printf (_("The audio output failed: %s"), error->message);
      break;
    case OH_MEDIA_GRAPH_PART_INPUT:
      text = g_strdup_printf (_("The audio input failed: %s"), error->message);
      break;
    case OH_MEDIA_GRAPH_PART_PROCESSING:
    default:
      text = g_strdup_printf (_("Call audio processing failed: %s"), error->message);
      break;
    }

  fail (self, text);
}

static void
handle_bus_message (OhMediaPipeline *self,
                    GstMessage      *message)
{
  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      on_pipeline_error (self, message);
      break;

    case GST_MESSAGE_WARNING:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_warning (message, &error, &debug);
        g_message ("Call audio: %s (%s)", error->message, debug ? debug : "");
        break;
      }

    case GST_MESSAGE_LATENCY:
      /* A latency changed (a device's buffer, say): the sink must know, or
       * it plays late and the echo canceller misaligns. */
      gst_bin_recalculate_latency (GST_BIN (self->graph.pipeline));
      break;

    default:
      break;
    }
}

/* Any thread. The bus is not watched: a watch is one more file descriptor
 * in every poll of the main loop, and a source to check in every
 * iteration, for the few messages a call has. Those that matter go to the
 * main context; the rest are dropped as they are posted. */
static GstBusSyncReply
on_bus_sync_message (GstBus     *bus,
                     GstMessage *message,
                     gpointer    user_data)
{
  OhMediaPipeline *self = OH_MEDIA_PIPELINE (user_data);

  /* A sync handler that drops a message owns it: it keeps it or unrefs it. */
  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
    case GST_MESSAGE_WARNING:
    case GST_MESSAGE_LATENCY:
      g_mutex_lock (&self->bus_lock);
      g_queue_push_tail (&self->bus_messages, message);
      g_mutex_unlock (&self->bus_lock);
      g_source_set_ready_time (self->bus_source, 0);
      break;

    default:
      gst_message_unref (message);
      break;
    }

  return GST_BUS_DROP;
}

/* The oldest message of @types forwarded from the bus, or NULL. */
static GstMessage *
pop_bus_message (OhMediaPipeline *self,
                 GstMessageType   types)
{
  GstMessage *message = NULL;

  g_mutex_lock (&self->bus_lock);
  for (GList *l = self->bus_messages.head; l != NULL; l = l->next)
    {
      if (GST_MESSAGE_TYPE (l->data) & types)
        {
          message = l->data;
          g_queue_delete_link (&self->bus_messages, l);
          break;
        }
    }
  g_mutex_unlock (&self->bus_lock);
  return message;
}

static void
clear_bus_messages (OhMediaPipeline *self)
{
  g_mutex_lock (&self->bus_lock);
  g_queue_clear_full (&self->bus_messages, (GDestroyNotify) gst_message_unref);
  g_mutex_unlock (&self->bus_lock);
}

static gboolean
on_bus_messages (gpointer user_data)
{
  /* A handler may drop the last reference. */
  g_autoptr(OhMediaPipeline) self = g_object_ref (OH_MEDIA_PIPELINE (user_data));
  GstMessage *message;

  while ((message = pop_bus_message (self, GST_MESSAGE_ANY)) != NULL)
    {
      handle_bus_message (self, message);
      gst_message_unref (message);
    }

  return G_SOURCE_CONTINUE;
}

/* Streaming thread of the capture source. */
static GstFlowReturn
on_capture_sample (GstAppSink *appsink,
                   gpointer    user_data)
{
  OhMediaPipeline *self = OH_MEDIA_PIPELINE (user_data);
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);

  if (sample != NULL)
    oh_media_framer_push (self->framer, gst_sample_get_buffer (sample));
  return GST_FLOW_OK;
}

/* Main context: hand the captured frames to the frame function. */
static void
on_captured_frames (guint8   *frames,
                    gsize     n_frames,
                    gpointer  user_data)
{
  g_autoptr(OhMediaPipeline) self = g_object_ref (OH_MEDIA_PIPELINE (user_data));
  gsize frame_bytes = self->format.frame_bytes;

  for (gsize i = 0; i < n_frames; i++)
    {
      guint8 *frame = frames + i * frame_bytes;

      /* Captured before, delivered after: the call would not expect it. */
      if (self->stopped || self->held)
        break;
      if (self->sending_paused || self->frame_func == NULL)
        {
          self->frames_out_skipped++;
          continue;
        }
      if (self->muted)
        memset (frame, oh_media_format_get_silence_byte (&self->format), frame_bytes);
      self->frames_out++;
      self->frame_func (frame, frame_bytes, self->frame_data);
    }
}

static gboolean
on_stall_check (gpointer user_data)
{
  OhMediaPipeline *self = OH_MEDIA_PIPELINE (user_data);
  gint64 deadline = self->last_frame_us + STALL_TIMEOUT_US;

  if (self->audio_state != OH_MEDIA_AUDIO_STATE_FLOWING)
    return G_SOURCE_CONTINUE;

  if (g_get_monotonic_time () >= deadline)
    set_audio_state (self, OH_MEDIA_AUDIO_STATE_STALLED);
  else
    g_source_set_ready_time (self->stall_source, deadline);

  return G_SOURCE_CONTINUE;
}

static void
reset_streams (OhMediaPipeline *self)
{
  if (self->playback != NULL)
    oh_media_playback_reset (self->playback);
  if (self->framer != NULL)
    oh_media_framer_clear (self->framer);
}

static void
start_pipeline (OhMediaPipeline *self)
{
  if (self->graph.pipeline == NULL)
    return;

  reset_streams (self);
  set_audio_state (self, OH_MEDIA_AUDIO_STATE_CONNECTING);

  if (gst_element_set_state (self->graph.pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) message = pop_bus_message (self, GST_MESSAGE_ERROR);

      /* A device that cannot open says why on the bus; report it now rather
       * than from the next main loop iteration. */
      if (message != NULL)
        on_pipeline_error (self, message);
      if (self->audio_state != OH_MEDIA_AUDIO_STATE_FAILED)
        fail (self, _("The audio devices could not be started"));
    }
}

/* Releases the devices and joins the streaming threads. */
static void
halt_pipeline (OhMediaPipeline *self)
{
  if (self->graph.pipeline != NULL)
    gst_element_set_state (self->graph.pipeline, GST_STATE_NULL);
  /* As the bus flushes what was posted before. */
  clear_bus_messages (self);
  reset_streams (self);
}

static void
connect_graph (OhMediaPipeline *self)
{
  GstAppSinkCallbacks callbacks = { .new_sample = on_capture_sample };
  g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->graph.pipeline));

  oh_media_playback_attach (self->playback, self->graph.appsrc, self->graph.sink_bin);
  gst_app_sink_set_callbacks (GST_APP_SINK (self->graph.appsink), &callbacks, self, NULL);

  gst_bus_set_sync_handler (bus, on_bus_sync_message, self, NULL);
}

static void
oh_media_pipeline_dispose (GObject *object)
{
  OhMediaPipeline *self = OH_MEDIA_PIPELINE (object);

  /* Joins the streaming threads: nothing below runs concurrently any more. */
  oh_media_pipeline_stop (self);

  if (self->graph.pipeline != NULL)
    {
      g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->graph.pipeline));

      gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
    }
  clear_bus_messages (self);
  if (self->bus_source != NULL)
    g_source_destroy (self->bus_source);
  g_clear_pointer (&self->bus_source, g_source_unref);
  if (self->stall_source != NULL)
    g_source_destroy (self->stall_source);
  g_clear_pointer (&self->stall_source, g_source_unref);

  /* The pipeline's probes and callbacks point to these. */
  oh_media_graph_clear (&self->graph);
  g_clear_pointer (&self->framer, oh_media_framer_free);
  g_clear_pointer (&self->playback, oh_media_playback_free);

  if (self->frame_destroy != NULL)
    self->frame_destroy (self->frame_data);
  self->frame_func = NULL;
  self->frame_data = NULL;
  self->frame_destroy = NULL;

  G_OBJECT_CLASS (oh_media_pipeline_parent_class)->dispose (object);
}

static void
oh_media_pipeline_finalize (GObject *object)
{
  OhMediaPipeline *self = OH_MEDIA_PIPELINE (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->last_error);
  g_mutex_clear (&self->bus_lock);

  G_OBJECT_CLASS (oh_media_pipeline_parent_class)->finalize (object);
}

static void
oh_media_pipeline_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OhMediaPipeline *self = OH_MEDIA_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_AUDIO_STATE:
      g_value_set_string (value, oh_media_audio_state_to_string (self->audio_state));
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error ? self->last_error : "");
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;
    case PROP_SENDING_PAUSED:
      g_value_set_boolean (value, self->sending_paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_media_pipeline_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  OhMediaPipeline *self = OH_MEDIA_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      oh_media_pipeline_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_HELD:
      oh_media_pipeline_set_held (self, g_value_get_boolean (value));
      break;
    case PROP_SENDING_PAUSED:
      oh_media_pipeline_set_sending_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_media_pipeline_class_init (OhMediaPipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_media_pipeline_dispose;
  object_class->finalize = oh_media_pipeline_finalize;
  object_class->get_property = oh_media_pipeline_get_property;
  object_class->set_property = oh_media_pipeline_set_property;

  /**
   * OhMediaPipeline:audio-state:
   *
   * `none`, `connecting`, `flowing`, `stalled` or `failed`: see
   * #OhMediaAudioState.
   */
  props[PROP_AUDIO_STATE] =
    g_param_spec_string ("audio-state", NULL, NULL, "none",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * OhMediaPipeline:last-error:
   *
   * Why the audio failed, for a person; empty if it did not.
   */
  props[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_HELD] =
    g_param_spec_boolean ("held", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_SENDING_PAUSED] =
    g_param_spec_boolean ("sending-paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
oh_media_pipeline_init (OhMediaPipeline *self)
{
  g_mutex_init (&self->bus_lock);
  g_queue_init (&self->bus_messages);
}

/**
 * oh_media_pipeline_new:
 *
 * Same as oh_media_pipeline_new_full() with echo cancellation and noise
 * suppression on.
 */
OhMediaPipeline *
oh_media_pipeline_new (const OhMediaFormat  *format,
                       const char           *source_desc,
                       const char           *sink_desc,
                       GError              **error)
{
  return oh_media_pipeline_new_full (format, source_desc, sink_desc, OH_MEDIA_PIPELINE_FLAGS_NONE,
                                     error);
}

/**
 * oh_media_pipeline_new_full:
 * @format: the format of the frames, as `MEDIA_START` announced it
 * @source_desc: (nullable): the microphone, as a GStreamer bin description
 *   (`autoaudiosrc` if %NULL)
 * @sink_desc: (nullable): the speaker, as a GStreamer bin description
 *   (`autoaudiosink` if %NULL)
 * @flags: what to leave out
 *
 * Creates the audio of a call and starts it: the devices open right away, and
 * captured frames go to the frame function on the thread-default main
 * context of the caller.
 *
 * Devices that cannot be opened, or descriptions that cannot be parsed, do
 * not make this fail: the pipeline is returned in
 * %OH_MEDIA_AUDIO_STATE_FAILED with #OhMediaPipeline:last-error set, as the
 * same happens when a device fails during the call.
 *
 * Returns: (transfer full): the pipeline, or %NULL if @format is invalid.
 */
OhMediaPipeline *
oh_media_pipeline_new_full (const OhMediaFormat   *format,
                            const char            *source_desc,
                            const char            *sink_desc,
                            OhMediaPipelineFlags   flags,
                            GError               **error)
{
  g_autoptr(OhMediaPipeline) self = NULL;
  g_autoptr(GError) build_error = NULL;

  g_return_val_if_fail (format != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!oh_media_format_validate (format, error))
    return NULL;
  if (!gst_init_check (NULL, NULL, error))
    return NULL;

  self = g_object_new (OH_TYPE_MEDIA_PIPELINE, NULL);
  self->format = *format;
  self->context = g_main_context_ref_thread_default ();
  self->playback = oh_media_playback_new (format, JITTER_TARGET, JITTER_LIMIT);
  self->framer = oh_media_framer_new (self->context, format->frame_bytes,
                                      oh_media_format_time_to_bytes (format, MAX_PENDING_OUT),
                                      on_captured_frames, self);
  self->stall_source = ready_source_new (self->context, "[offhook] media stall",
                                         on_stall_check, self);
  self->bus_source = ready_source_new (self->context, "[offhook] media bus", on_bus_messages,
                                       self);

  if (!oh_media_graph_build (&self->graph, format, source_desc ? source_desc : "autoaudiosrc",
                             sink_desc ? sink_desc : "autoaudiosink",
                             !(flags & OH_MEDIA_PIPELINE_FLAGS_NO_DSP), JITTER_LIMIT, &build_error))
    {
      fail (self, build_error->message);
      return g_steal_pointer (&self);
    }

  connect_graph (self);
  start_pipeline (self);

  return g_steal_pointer (&self);
}

/**
 * oh_media_pipeline_set_frame_func:
 * @func: (nullable): receives each captured frame
 *
 * Sets where captured frames go. Frames captured while there is none are
 * dropped.
 */
void
oh_media_pipeline_set_frame_func (OhMediaPipeline *self,
                                  OhMediaFrameFunc func,
                                  gpointer         user_data,
                                  GDestroyNotify   destroy)
{
  g_return_if_fail (OH_IS_MEDIA_PIPELINE (self));

  if (self->frame_destroy != NULL)
    self->frame_destroy (self->frame_data);
  self->frame_func = func;
  self->frame_data = user_data;
  self->frame_destroy = destroy;
}

/**
 * oh_media_pipeline_push_frame:
 * @frame: audio from the PBX in the pipeline's format, of any whole number
 *   of samples
 *
 * Queues @frame to be played. Frames are dropped while held, stopped or
 * failed.
 */
void
oh_media_pipeline_push_frame (OhMediaPipeline *self,
                              GBytes          *frame)
{
  gsize size;
  gint64 now_us;

  g_return_if_fail (OH_IS_MEDIA_PIPELINE (self));
  g_return_if_fail (frame != NULL);

  if (self->stopped || self->held || self->audio_state == OH_MEDIA_AUDIO_STATE_FAILED ||
      self->graph.appsrc == NULL)
    return;

  size = g_bytes_get_size (frame);
  if (size == 0 || size % oh_media_format_get_sample_bytes (&self->format) != 0)
    {
      g_debug ("Ignoring an audio frame of %" G_GSIZE_FORMAT " bytes", size);
      return;
    }

  now_us = g_get_monotonic_time ();
  self->frames_in++;
  self->last_frame_us = now_us;
  if (self->audio_state != OH_MEDIA_AUDIO_STATE_FLOWING)
    {
      set_audio_state (self, OH_MEDIA_AUDIO_STATE_FLOWING);
      g_source_set_ready_time (self->stall_source, now_us + STALL_TIMEOUT_US);
    }

  oh_media_playback_push (self->playback, frame);
}

/**
 * oh_media_pipeline_set_muted:
 *
 * While muted, captured frames are replaced by silence: the PBX still gets a
 * frame every ptime.
 */
void
oh_media_pipeline_set_muted (OhMediaPipeline *self,
                             gboolean         muted)
{
  g_return_if_fail (OH_IS_MEDIA_PIPELINE (self));

  muted = !!muted;
  if (self->muted == muted)
    return;
  self->muted = muted;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTED]);
}

/**
 * oh_media_pipeline_get_muted:
 *
 * Returns: whether captured frames are replaced by silence.
 */
gboolean
oh_media_pipeline_get_muted (OhMediaPipeline *self)
{
  g_return_val_if_fail (OH_IS_MEDIA_PIPELINE (self), FALSE);
  return self->muted;
}

/**
 * oh_media_pipeline_set_held:
 *
 * Holding stops both directions and closes the devices (the audio state
 * becomes `none`); frames pushed meanwhile are dropped. Unholding reopens
 * them (`connecting` until the next frame), and also retries devices that
 * had failed.
 */
void
oh_media_pipeline_set_held (OhMediaPipeline *self,
                            gboolean         held)
{
  g_return_if_fail (OH_IS_MEDIA_PIPELINE (self));

  held = !!held;
  if (self->held == held)
    return;
  self->held = held;

  if (!self->stopped)
    {
      if (held)
        {
          halt_pipeline (self);
          if (self->audio_state != OH_MEDIA_AUDIO_STATE_FAILED)
            set_audio_state (self, OH_MEDIA_AUDIO_STATE_NONE);
        }
      else if (self->graph.pipeline != NULL)
        {
          if (oh_set_str (&self->last_error, NULL))
            g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_ERROR]);
          start_pipeline (self);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HELD]);
}

/**
 * oh_media_pipeline_get_held:
 *
 * Returns: whether the call's audio is on hold, the devices closed.
 */
gboolean
oh_media_pipeline_get_held (OhMediaPipeline *self)
{
  g_return_val_if_fail (OH_IS_MEDIA_PIPELINE (self), FALSE);
  return self->held;
}

/**
 * oh_media_pipeline_set_sending_paused:
 *
 * Flow control (`MEDIA_XOFF`/`MEDIA_XON`): while paused, captured frames are
 * dropped, not queued, so memory does not grow however long the pause.
 */
void
oh_media_pipeline_set_sending_paused (OhMediaPipeline *self,
                                      gboolean         paused)
{
  g_return_if_fail (OH_IS_MEDIA_PIPELINE (self));

  paused = !!paused;
  if (self->sending_paused == paused)
    return;
  self->sending_paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SENDING_PAUSED]);
}

/**
 * oh_media_pipeline_get_sending_paused:
 *
 * Returns: whether captured frames are dropped for flow control.
 */
gboolean
oh_media_pipeline_get_sending_paused (OhMediaPipeline *self)
{
  g_return_val_if_fail (OH_IS_MEDIA_PIPELINE (self), FALSE);
  return self->sending_paused;
}

/**
 * oh_media_pipeline_stop:
 *
 * Stops both directions for good and closes the devices. The frame function
 * is not called any more. Also done when the last reference goes.
 */
void
oh_media_pipeline_stop (OhMediaPipeline *self)
{
  g_return_if_fail (OH_IS_MEDIA_PIPELINE (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;
  halt_pipeline (self);
  if (self->stall_source != NULL)
    g_source_set_ready_time (self->stall_source, -1);
  if (self->audio_state != OH_MEDIA_AUDIO_STATE_FAILED)
    set_audio_state (self, OH_MEDIA_AUDIO_STATE_NONE);
}

/**
 * oh_media_pipeline_get_audio_state:
 *
 * Returns: the state of the audio; #OhMediaPipeline:audio-state as a string.
 */
OhMediaAudioState
oh_media_pipeline_get_audio_state (OhMediaPipeline *self)
{
  g_return_val_if_fail (OH_IS_MEDIA_PIPELINE (self), OH_MEDIA_AUDIO_STATE_NONE);
  return self->audio_state;
}

/**
 * oh_media_pipeline_get_last_error:
 *
 * Returns: (nullable): why the audio failed, for a person.
 */
const char *
oh_media_pipeline_get_last_error (OhMediaPipeline *self)
{
  g_return_val_if_fail (OH_IS_MEDIA_PIPELINE (self), NULL);
  return self->last_error;
}

/**
 * oh_media_pipeline_get_format:
 *
 * Returns: (transfer none): the format of the frames in both directions.
 */
const OhMediaFormat *
oh_media_pipeline_get_format (OhMediaPipeline *self)
{
  g_return_val_if_fail (OH_IS_MEDIA_PIPELINE (self), NULL);
  return &self->format;
}

/**
 * oh_media_pipeline_get_stats:
 * @stats: (out caller-allocates): filled with the counters so far
 */
void
oh_media_pipeline_get_stats (OhMediaPipeline *self,
                             OhMediaStats    *stats)
{
  g_return_if_fail (OH_IS_MEDIA_PIPELINE (self));
  g_return_if_fail (stats != NULL);

  memset (stats, 0, sizeof *stats);
  stats->frames_in = self->frames_in;
  stats->frames_out = self->frames_out;
  stats->frames_out_dropped = oh_media_framer_get_dropped (self->framer) +
                              self->frames_out_skipped;
  stats->pending_out_bytes = (guint) oh_media_framer_get_pending (self->framer);
  oh_media_playback_fill_stats (self->playback, stats);
}

/**
 * oh_media_pipeline_get_pipeline:
 *
 * For tests and debugging (graph dumps) only.
 *
 * Returns: (transfer none) (nullable): the GStreamer pipeline, %NULL if it
 *   could not be built.
 */
GstElement *
oh_media_pipeline_get_pipeline (OhMediaPipeline *self)
{
  g_return_val_if_fail (OH_IS_MEDIA_PIPELINE (self), NULL);
  return self->graph.pipeline;
}
