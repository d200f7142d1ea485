/* oh-media-playback.c: received frames into the pipeline, timed and bounded
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The appsrc's own queue is the jitter buffer. Frames go in untimed, marked
 * with their arrival; a probe on the appsrc's source pad, in its streaming
 * thread, timestamps each one as it leaves, following OhMediaJitter, or drops
 * it. The appsrc queue itself holds at most the limit, dropping its oldest
 * frame while the sink is busy. A second probe, where audio enters the sink,
 * measures how long after its push each frame is heard.
 */
#define G_LOG_DOMAIN "offhook-media"

#include <gst/app/app.h>

#include "oh-media-jitter.h"
#include "oh-media-latency.h"
#include "oh-media-pipeline.h"
#include "oh-media-playback.h"

struct _OhMediaPlayback
{
  OhMediaFormat format;
  GstClockTime limit;
  GstElement *appsrc;

  /* Shared with the streaming threads. */
  GMutex lock;
  OhMediaJitter jitter;
  OhMediaLatency latency;
  guint64 frames_played;
  guint64 frames_dropped;
};

/* The running time of @element's pipeline, or -1 when it has no clock. */
static gint64
get_running_time (GstElement *element)
{
  g_autoptr(GstClock) clock = gst_element_get_clock (element);

  if (clock == NULL)
    return -1;
  return (gint64) (gst_clock_get_time (clock) - gst_element_get_base_time (element));
}

static GstClockTime
get_queued (OhMediaPlayback *self)
{
  return oh_media_format_bytes_to_time (
    &self->format, gst_app_src_get_current_level_bytes (GST_APP_SRC (self->appsrc)));
}

static void
on_latency (OhMediaPlayback *self,
            GstEvent        *event)
{
  GstClockTime latency;

  gst_event_parse_latency (event, &latency);
  g_mutex_lock (&self->lock);
  oh_media_jitter_set_latency (&self->jitter,
                               GST_CLOCK_TIME_IS_VALID (latency) ? (gint64) latency : 0);
  g_mutex_unlock (&self->lock);
}

/* Streaming thread of the appsrc: the jitter buffer's exit. */
static GstPadProbeReturn
on_leaving_queue (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         user_data)
{
  OhMediaPlayback *self = user_data;
  GstBuffer *buffer;
  OhMediaJitterVerdict verdict;
  gint64 now, now_us, queued, pts = 0, duration, age = 0, trim = 0;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_UPSTREAM)
    {
      if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_LATENCY)
        on_latency (self, GST_PAD_PROBE_INFO_EVENT (info));
      return GST_PAD_PROBE_OK;
    }

  buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  now = get_running_time (self->appsrc);
  now_us = g_get_monotonic_time ();
  if (now < 0)
    return GST_PAD_PROBE_OK;
  duration = (gint64) GST_BUFFER_DURATION (buffer);
  if (GST_BUFFER_OFFSET_IS_VALID (buffer))
    age = (now_us - (gint64) GST_BUFFER_OFFSET (buffer)) * 1000;
  queued = (gint64) get_queued (self);

  g_mutex_lock (&self->lock);
  verdict = oh_media_jitter_schedule (&self->jitter, now, duration, queued, age, &pts, &trim);
  if (verdict == OH_MEDIA_JITTER_DROP)
    {
      self->frames_dropped++;
      g_mutex_unlock (&self->lock);
      return GST_PAD_PROBE_DROP;
    }
  self->frames_played++;
  oh_media_latency_note_frame (&self->latency, pts, duration - trim, now_us - age / 1000);
  g_mutex_unlock (&self->lock);

  buffer = gst_buffer_make_writable (buffer);
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (trim > 0)
    {
      /* Whole samples; what rounding leaves (under one sample) is lost in
       * the sink's tolerance for timestamps. */
      gsize size = gst_buffer_get_size (buffer);
      gsize cut = MIN (oh_media_format_time_to_bytes (&self->format, (GstClockTime) trim), size);

      gst_buffer_resize (buffer, (gssize) cut, (gssize) (size - cut));
      GST_BUFFER_DURATION (buffer) = oh_media_format_bytes_to_time (&self->format, size - cut);
    }
  GST_BUFFER_PTS (buffer) = (GstClockTime) pts;
  GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_OFFSET (buffer) = GST_BUFFER_OFFSET_NONE;
  if (verdict == OH_MEDIA_JITTER_PLAY_DISCONT)
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
  else
    GST_BUFFER_FLAG_UNSET (buffer, GST_BUFFER_FLAG_DISCONT);

  return GST_PAD_PROBE_OK;
}

/* Streaming thread: audio reaches the sink; how long since it was pushed? */
static GstPadProbeReturn
on_entering_sink (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         user_data)
{
  OhMediaPlayback *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  gint64 pts, now, now_us;

  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  pts = (gint64) GST_BUFFER_PTS (buffer);
  now = get_running_time (self->appsrc);
  now_us = g_get_monotonic_time ();
  if (now < 0)
    return GST_PAD_PROBE_OK;

  g_mutex_lock (&self->lock);
  /* A syncing sink renders it at pts + latency, not before. */
  oh_media_latency_note_heard (&self->latency, pts,
                               now_us + MAX (pts + self->jitter.latency - now, 0) / 1000);
  g_mutex_unlock (&self->lock);

  return GST_PAD_PROBE_OK;
}

/**
 * oh_media_playback_new:
 * @target: how long after its arrival a frame should be heard
 * @limit: how long a frame may wait before the oldest are dropped
 */
OhMediaPlayback *
oh_media_playback_new (const OhMediaFormat *format,
                       GstClockTime         target,
                       GstClockTime         limit)
{
  OhMediaPlayback *self = g_new0 (OhMediaPlayback, 1);

  self->format = *format;
  self->limit = limit;
  g_mutex_init (&self->lock);
  oh_media_jitter_init (&self->jitter, (gint64) target, (gint64) limit);
  return self;
}

/**
 * oh_media_playback_free:
 *
 * The pipeline it is attached to must be stopped, or gone.
 */
void
oh_media_playback_free (OhMediaPlayback *self)
{
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * oh_media_playback_attach:
 * @appsrc: the appsrc frames go into; its queue bound is the limit
 * @sink: (nullable): the element that plays them, if it has a `sink` pad
 */
void
oh_media_playback_attach (OhMediaPlayback *self,
                          GstElement      *appsrc,
                          GstElement      *sink)
{
  g_autoptr(GstPad) src_pad = gst_element_get_static_pad (appsrc, "src");
  g_autoptr(GstPad) sink_pad = sink ? gst_element_get_static_pad (sink, "sink") : NULL;

  self->appsrc = appsrc;
  gst_pad_add_probe (src_pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
                     on_leaving_queue, self, NULL);
  if (sink_pad != NULL)
    gst_pad_add_probe (sink_pad, GST_PAD_PROBE_TYPE_BUFFER, on_entering_sink, self, NULL);
}

/**
 * oh_media_playback_push:
 * @frame: audio from the PBX, a whole number of samples
 */
void
oh_media_playback_push (OhMediaPlayback *self,
                        GBytes          *frame)
{
  GstBuffer *buffer = gst_buffer_new_wrapped_bytes (frame);

  GST_BUFFER_DURATION (buffer) = oh_media_format_bytes_to_time (&self->format,
                                                                g_bytes_get_size (frame));
  /* The arrival, read back and cleared as the frame leaves the queue. */
  GST_BUFFER_OFFSET (buffer) = (guint64) g_get_monotonic_time ();

  /* While the sink is busy with the frame before, the queue drops its
   * oldest frame to stay within the limit; count it. */
  if (get_queued (self) >= self->limit)
    {
      g_mutex_lock (&self->lock);
      self->frames_dropped++;
      g_mutex_unlock (&self->lock);
    }

  gst_app_src_push_buffer (GST_APP_SRC (self->appsrc), buffer);
}

/**
 * oh_media_playback_reset:
 *
 * Forgets the timeline, for when the pipeline restarts. Keeps the figures.
 */
void
oh_media_playback_reset (OhMediaPlayback *self)
{
  g_mutex_lock (&self->lock);
  oh_media_jitter_reset (&self->jitter);
  oh_media_latency_forget_frames (&self->latency);
  g_mutex_unlock (&self->lock);
}

/**
 * oh_media_playback_fill_stats:
 *
 * Fills the playback figures of @stats.
 */
void
oh_media_playback_fill_stats (OhMediaPlayback *self,
                              OhMediaStats    *stats)
{
  gint64 now = -1, queued = 0;

  if (self->appsrc != NULL)
    {
      now = get_running_time (self->appsrc);
      queued = (gint64) get_queued (self);
    }

  g_mutex_lock (&self->lock);
  stats->frames_played = self->frames_played;
  stats->frames_dropped = self->frames_dropped;
  if (now >= 0)
    queued = oh_media_jitter_buffered (&self->jitter, now, queued);
  stats->buffered_ms = (guint) (queued / GST_MSECOND);
  stats->latency_samples = self->latency.samples;
  stats->latency_p50_ms = oh_media_latency_percentile (&self->latency, 0.50);
  stats->latency_p99_ms = oh_media_latency_percentile (&self->latency, 0.99);
  stats->latency_max_ms = self->latency.max_us / 1000.0;
  g_mutex_unlock (&self->lock);
}
