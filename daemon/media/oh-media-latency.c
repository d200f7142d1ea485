/* oh-media-latency.c: how long received frames take to be heard
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-media"

#include <string.h>

#include "oh-media-latency.h"

/**
 * oh_media_latency_forget_frames:
 *
 * Forgets the recent frames, for when timestamps restart; keeps the figures.
 */
void
oh_media_latency_forget_frames (OhMediaLatency *self)
{
  memset (self->recent, 0, sizeof self->recent);
  self->next = 0;
}

/**
 * oh_media_latency_note_frame:
 * @pts: the timestamp the frame was given
 * @push_us: the monotonic time it was pushed
 */
void
oh_media_latency_note_frame (OhMediaLatency *self,
                             gint64          pts,
                             gint64          duration,
                             gint64          push_us)
{
  self->recent[self->next] = (OhMediaLatencyFrame) { pts, pts + MAX (duration, 1), push_us };
  self->next = (self->next + 1) % OH_MEDIA_LATENCY_RECENT;
}

/**
 * oh_media_latency_note_heard:
 * @pts: the timestamp of audio reaching the sink (after conversions, which
 *   may split or merge frames)
 * @heard_us: the monotonic time it will be heard
 *
 * Returns: %TRUE if @pts was one of the recent frames, and counted.
 */
gboolean
oh_media_latency_note_heard (OhMediaLatency *self,
                             gint64          pts,
                             gint64          heard_us)
{
  for (guint i = 1; i <= OH_MEDIA_LATENCY_RECENT; i++)
    {
      const OhMediaLatencyFrame *frame =
        &self->recent[(self->next + OH_MEDIA_LATENCY_RECENT - i) % OH_MEDIA_LATENCY_RECENT];

      if (frame->end > frame->pts && frame->pts <= pts && pts < frame->end)
        {
          gint64 latency_us = MAX (heard_us - frame->push_us, 0);

          self->histogram[MIN (latency_us / OH_MEDIA_LATENCY_BUCKET_US,
                               OH_MEDIA_LATENCY_BUCKETS)]++;
          self->samples++;
          self->max_us = MAX (self->max_us, latency_us);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * oh_media_latency_percentile:
 * @fraction: 0.5 for the median, 0.99 for the 99th percentile
 *
 * Returns: the latency below which @fraction of the frames were heard, in
 *   milliseconds (the middle of its bucket), or 0 without any.
 */
double
oh_media_latency_percentile (const OhMediaLatency *self,
                             double                fraction)
{
  guint64 wanted = MAX ((guint64) (self->samples * fraction + 0.5), 1);
  guint64 seen = 0;

  if (self->samples == 0)
    return 0;
  for (guint i = 0; i <= OH_MEDIA_LATENCY_BUCKETS; i++)
    {
      seen += self->histogram[i];
      if (seen >= wanted)
        return (i + 0.5) * OH_MEDIA_LATENCY_BUCKET_US / 1000.0;
    }
  return self->max_us / 1000.0;
}
