/* oh-media-graph.c: the GStreamer elements of a call's audio, linked
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-media"

#include <glib/gi18n.h>
#include <gst/app/app.h>
#include <gst/audio/audio.h>

#include "oh-error.h"
#include "oh-media-graph.h"

static GstElement *
make_element (const char  *factory,
              const char  *name,
              GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL && (error == NULL || *error == NULL))
    g_set_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                 _("The GStreamer element “%s” is missing; install the GStreamer plugins"),
                 factory);
  return element;
}

static GstElement *
make_capsfilter (GstCaps *caps)
{
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);

  g_object_set (filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  return filter;
}

/* Raw S16 mono at @rate in native byte order, what webrtcdsp works on. */
static GstCaps *
dsp_caps_new (guint rate)
{
  return gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, GST_AUDIO_NE (S16),
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, (int) rate,
                              "channels", G_TYPE_INT, 1,
                              NULL);
}

/* The speaker's buffer, when its description leaves it alone. An audio
 * sink reports its whole buffer as its latency (200 ms by default), and no
 * frame can be heard sooner than that, jitter buffer or not. 30 ms is as
 * much as the jitter target (oh-media-pipeline.c): the device then adds
 * nothing to the delay, and its buffer absorbs jitter too. Its periods stay
 * 10 ms. A sound server that cannot go this low (PulseAudio, PipeWire)
 * grants what it can and the sink reports that; a sound card driven
 * directly (alsasink) may underrun on a busy machine, which the user can
 * trade for delay with buffer-time in the description. */
#define SPEAKER_BUFFER_US G_GINT64_CONSTANT (30000)

static gboolean
is_default (GstElement *element,
            const char *property)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (element), property);
  g_auto(GValue) value = G_VALUE_INIT;

  if (pspec == NULL)
    return FALSE;
  g_value_init (&value, pspec->value_type);
  g_object_get_property (G_OBJECT (element), property, &value);
  return g_param_value_defaults (pspec, &value);
}

/* Sizes the buffers of a sound card's elements for a call, unless the
 * user's description set them. */
static void
tune_device (GstElement *element,
             guint       ptime_ms)
{
  gint64 buffer_time = 0, latency_time = 0;

  if (GST_IS_AUDIO_BASE_SINK (element) && is_default (element, "buffer-time"))
    {
      g_object_get (element, "latency-time", &latency_time, NULL);
      /* The ring buffer wants a few periods. */
      g_object_set (element, "buffer-time", MAX (SPEAKER_BUFFER_US, 3 * latency_time), NULL);
    }
  else if (GST_IS_AUDIO_BASE_SRC (element) && is_default (element, "latency-time"))
    {
      /* One period per frame: the framer waits for a whole frame anyway,
       * so shorter periods add wake-ups (two per frame by default), not
       * speed. */
      g_object_get (element, "buffer-time", &buffer_time, NULL);
      if (buffer_time >= 2 * ptime_ms * G_GINT64_CONSTANT (1000))
        g_object_set (element, "latency-time", ptime_ms * G_GINT64_CONSTANT (1000), NULL);
    }
}

static void
tune_devices (GstElement *bin,
              guint       ptime_ms)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (bin));
  g_auto(GValue) item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      tune_device (g_value_get_object (&item), ptime_ms);
      g_value_reset (&item);
    }
}

/* autoaudiosink and autoaudiosrc make their device when they start. */
static void
on_deep_element_added (GstBin     *pipeline,
                       GstBin     *bin,
                       GstElement *element,
                       gpointer    user_data)
{
  tune_device (element, GPOINTER_TO_UINT (user_data));
}

static gboolean
have_dsp_plugins (void)
{
  static gsize checked = 0;
  static gboolean available = FALSE;

  if (g_once_init_enter (&checked))
    {
      g_autoptr(GstElementFactory) dsp = gst_element_factory_find ("webrtcdsp");
      g_autoptr(GstElementFactory) probe = gst_element_factory_find ("webrtcechoprobe");

      available = dsp != NULL && probe != NULL;
      if (!available)
        g_warning ("Echo cancellation is unavailable: webrtcdsp is not installed "
                   "(gstreamer1.0-plugins-bad)");
      g_once_init_leave (&checked, 1);
    }
  return available;
}

/* Adds @elements to the pipeline and links them in order. Takes them all,
 * even on failure (a NULL among them: it could not be made). A link can only
 * fail at the user's element, which @link_error_format and @description name. */
static gboolean
add_and_link (OhMediaGraph     *graph,
              GstElement      **elements,
              guint             n,
              const char       *link_error_format,
              const char       *description,
              GError          **error)
{
  gboolean complete = TRUE;

  for (guint i = 0; i < n; i++)
    {
      if (elements[i] != NULL)
        gst_bin_add (GST_BIN (graph->pipeline), elements[i]);
      else
        complete = FALSE;
    }
  if (!complete)
    return FALSE;

  for (guint i = 1; i < n; i++)
    {
      if (!gst_element_link (elements[i - 1], elements[i]))
        {
          g_debug ("Cannot link %s to %s", GST_ELEMENT_NAME (elements[i - 1]),
                   GST_ELEMENT_NAME (elements[i]));
          g_set_error (error, OH_ERROR, OH_ERROR_FAILED, link_error_format, description);
          return FALSE;
        }
    }
  return TRUE;
}

static GstElement *
parse_bin (const char  *description,
           const char  *error_format,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GstElement *bin;

  bin = gst_parse_bin_from_description_full (description, TRUE, NULL,
                                             GST_PARSE_FLAG_FATAL_ERRORS, &local_error);
  if (bin == NULL)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, error_format, description,
                   local_error->message);
      return NULL;
    }
  return gst_object_ref_sink (bin);
}

/**
 * oh_media_graph_build:
 * @graph: (out caller-allocates): the graph; cleared on failure too
 * @dsp: whether to cancel echo and suppress noise (if webrtcdsp is installed)
 * @queue_limit: how much received audio the appsrc queues before dropping
 *   its oldest
 *
 * Returns: %TRUE if the elements exist and fit together; devices are only
 *   opened when the pipeline starts.
 */
gboolean
oh_media_graph_build (OhMediaGraph         *graph,
                      const OhMediaFormat  *format,
                      const char           *source_desc,
                      const char           *sink_desc,
                      gboolean              dsp,
                      GstClockTime          queue_limit,
                      GError              **error)
{
  static guint serial = 0;
  guint id = (guint) g_atomic_int_add (&serial, 1);
  g_autofree char *name = g_strdup_printf ("oh-media-%u", id);
  /* webrtcdsp finds its probe by name among all in the process. */
  g_autofree char *probe_name = g_strdup_printf ("oh-echoprobe-%u", id);
  g_autoptr(GstCaps) wire_caps = oh_media_format_to_caps (format);
  gboolean ulaw = format->encoding == OH_MEDIA_ENCODING_ULAW;
  guint rate = format->rate;
  /* webrtcdsp and its probe must run at the same rate, one of these. */
  gboolean dsp_rate_ok = rate == 8000 || rate == 16000 || rate == 32000 || rate == 48000;
  guint dsp_rate = dsp_rate_ok ? rate : 48000;
  /* µ-law decodes to native S16; linear frames are S16LE on the wire. */
  gboolean wire_is_dsp_format = dsp_rate_ok && (ulaw || G_BYTE_ORDER == G_LITTLE_ENDIAN);
  GstElement *playback[8] = { NULL };
  GstElement *capture[10] = { NULL };
  GstElement *webrtcdsp = NULL;
  guint n;

  memset (graph, 0, sizeof *graph);
  dsp = dsp && have_dsp_plugins ();
  graph->pipeline = gst_object_ref_sink (gst_pipeline_new (name));

  /* Playback: frames from the PBX to the user's ears. */
  n = 0;
  playback[n++] = graph->appsrc = make_element ("appsrc", "oh-playback-src", error);
  if (ulaw)
    playback[n++] = make_element ("mulawdec", NULL, error);
  if (dsp && !wire_is_dsp_format)
    {
      playback[n++] = make_element ("audioconvert", NULL, error);
      playback[n++] = make_element ("audioresample", NULL, error);
      playback[n++] = make_capsfilter (dsp_caps_new (dsp_rate));
    }
  if (dsp)
    playback[n++] = make_element ("webrtcechoprobe", probe_name, error);
  playback[n++] = make_element ("audioconvert", NULL, error);
  playback[n++] = make_element ("audioresample", NULL, error);
  if (error == NULL || *error == NULL)
    playback[n] = graph->sink_bin =
      parse_bin (sink_desc, _("Cannot use the audio output “%s”: %s"), error);
  n++;
  if (!add_and_link (graph, playback, n, _("The audio output “%s” cannot play call audio"),
                     sink_desc, error))
    {
      oh_media_graph_clear (graph);
      return FALSE;
    }

  /* Capture: the user's voice to the PBX. */
  n = 0;
  capture[n++] = graph->source_bin =
    parse_bin (source_desc, _("Cannot use the audio input “%s”: %s"), error);
  capture[n++] = make_element ("audioconvert", NULL, error);
  capture[n++] = make_element ("audioresample", NULL, error);
  if (dsp)
    {
      capture[n++] = make_capsfilter (dsp_caps_new (dsp_rate));
      capture[n++] = webrtcdsp = make_element ("webrtcdsp", NULL, error);
      if (!wire_is_dsp_format)
        {
          capture[n++] = make_element ("audioconvert", NULL, error);
          capture[n++] = make_element ("audioresample", NULL, error);
        }
    }
  if (ulaw)
    {
      capture[n++] = make_capsfilter (dsp_caps_new (8000));
      capture[n++] = make_element ("mulawenc", NULL, error);
    }
  capture[n++] = graph->appsink = make_element ("appsink", "oh-capture-sink", error);
  if (!add_and_link (graph, capture, n, _("The audio input “%s” cannot record call audio"),
                     source_desc, error))
    {
      oh_media_graph_clear (graph);
      return FALSE;
    }

  tune_devices (graph->sink_bin, format->ptime_ms);
  tune_devices (graph->source_bin, format->ptime_ms);
  g_signal_connect (graph->pipeline, "deep-element-added", G_CALLBACK (on_deep_element_added),
                    GUINT_TO_POINTER (format->ptime_ms));

  /* Timestamps are set as frames leave the queue, where the jitter buffer
   * decides when they play. */
  g_object_set (graph->appsrc,
                "caps", wire_caps,
                "format", GST_FORMAT_TIME,
                "is-live", TRUE,
                "do-timestamp", FALSE,
                "min-latency", (gint64) 0,
                "block", FALSE,
                "max-bytes", (guint64) oh_media_format_time_to_bytes (format, queue_limit),
                "leaky-type", GST_APP_LEAKY_TYPE_DOWNSTREAM,
                NULL);
  if (webrtcdsp != NULL)
    g_object_set (webrtcdsp,
                  "probe", probe_name,
                  "echo-cancel", TRUE,
                  "noise-suppression", TRUE,
                  NULL);
  /* The live source paces capture; syncing would only add latency. */
  g_object_set (graph->appsink,
                "caps", wire_caps,
                "sync", FALSE,
                "async", FALSE,
                "enable-last-sample", FALSE,
                NULL);

  return TRUE;
}

/**
 * oh_media_graph_clear:
 *
 * Drops the pipeline, which must be in the NULL state.
 */
void
oh_media_graph_clear (OhMediaGraph *graph)
{
  graph->appsrc = NULL;
  graph->appsink = NULL;
  g_clear_object (&graph->source_bin);
  g_clear_object (&graph->sink_bin);
  g_clear_object (&graph->pipeline);
}

static gboolean
is_within (GstObject  *object,
           GstElement *bin)
{
  return bin != NULL &&
         (object == GST_OBJECT (bin) || gst_object_has_as_ancestor (object, GST_OBJECT (bin)));
}

/**
 * oh_media_graph_find_part:
 * @object: an element of the graph, say the source of an error
 *
 * Returns: which part of the graph @object belongs to.
 */
OhMediaGraphPart
oh_media_graph_find_part (OhMediaGraph *graph,
                          GstObject    *object)
{
  if (object != NULL && is_within (object, graph->sink_bin))
    return OH_MEDIA_GRAPH_PART_OUTPUT;
  if (object != NULL && is_within (object, graph->source_bin))
    return OH_MEDIA_GRAPH_PART_INPUT;
  return OH_MEDIA_GRAPH_PART_PROCESSING;
}
