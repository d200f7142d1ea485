/* oh-media-jitter.c: when each received frame plays, and which ones to drop
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-media"

#include "oh-media-jitter.h"

/* How long every frame must have waited too long before the excess goes:
 * long enough that ordinary jitter would have used it, short enough that a
 * burst's extra latency is gone within seconds. */
#define SHRINK_WINDOW (G_GINT64_CONSTANT (1000000000))
/* Excess smaller than this stays: each cut is a small click, and the
 * arrival of the first frame of a timeline alone is a few ms off. */
#define SHRINK_THRESHOLD (G_GINT64_CONSTANT (5000000))

/**
 * oh_media_jitter_init:
 * @target: how long after its arrival a frame should be heard
 * @limit: how long a frame may wait before the oldest are dropped
 */
void
oh_media_jitter_init (OhMediaJitter *self,
                      gint64         target,
                      gint64         limit)
{
  g_return_if_fail (target >= 0 && limit >= target);

  self->target = target;
  self->limit = limit;
  self->latency = 0;
  self->window = SHRINK_WINDOW;
  oh_media_jitter_reset (self);
}

/**
 * oh_media_jitter_reset:
 *
 * Forgets the timeline, for when the running time restarts.
 */
void
oh_media_jitter_reset (OhMediaJitter *self)
{
  self->next_pts = -1;
  self->window_start = -1;
  self->window_min = G_MAXINT64;
  self->shed = 0;
  self->discont = FALSE;
}

/**
 * oh_media_jitter_set_latency:
 * @latency: the sink's latency: a frame is heard this long after its
 *   timestamp
 *
 * A new latency delays or advances every frame already scheduled. The
 * pipeline learns its latency only once the first frame reached the sink,
 * so frames scheduled before are heard that much late: drop as much audio
 * (unless it is too little to be worth a cut).
 */
void
oh_media_jitter_set_latency (OhMediaJitter *self,
                             gint64         latency)
{
  latency = MAX (latency, 0);
  if (latency == self->latency)
    return;
  if (self->next_pts >= 0 && latency - self->latency > SHRINK_THRESHOLD)
    self->shed += latency - self->latency;
  self->latency = latency;
  self->window_start = -1;
  self->window_min = G_MAXINT64;
}

/* The sink cannot play sooner than its latency. */
static gint64
effective_target (const OhMediaJitter *self)
{
  return MAX (self->target, self->latency);
}

/**
 * oh_media_jitter_schedule:
 * @now: the running time
 * @duration: the duration of the frame leaving the queue (the oldest)
 * @queued: the duration of the frames still queued behind it
 * @age: how long ago the frame arrived
 * @pts: (out): the frame's timestamp
 * @trim: (out): how much of the frame's head to cut before it plays (less
 *   than @duration; usually 0), the rest of an excess being shed; @pts is
 *   the timestamp of what is left
 *
 * Returns: what to do with the frame.
 */
OhMediaJitterVerdict
oh_media_jitter_schedule (OhMediaJitter *self,
                          gint64         now,
                          gint64         duration,
                          gint64         queued,
                          gint64         age,
                          gint64        *pts,
                          gint64        *trim)
{
  /* The timestamp being heard right now (negative until the latency has
   * first passed: timestamps start at 0). */
  gint64 cursor = now - self->latency;
  gint64 target = effective_target (self);
  gint64 wait, delay;

  *trim = 0;

  /* Its slot has passed (or there never was one): the buffer ran dry, so
   * start over with the whole target as slack. */
  if (self->next_pts < 0 || self->next_pts < cursor)
    {
      self->next_pts = MAX (cursor + target, 0);
      self->window_start = -1;
      self->shed = 0;
      self->discont = TRUE;
    }

  /* How long the newest frame in the queue would wait to be heard. */
  wait = self->next_pts - cursor + queued;
  if (wait > self->limit + (target - self->target))
    return OH_MEDIA_JITTER_DROP; /* the next frame takes this slot */

  if (self->shed >= duration)
    {
      self->shed -= duration;
      return OH_MEDIA_JITTER_DROP;
    }

  /* From its arrival to being heard: what this frame adds to the latency. */
  delay = self->next_pts - cursor + MAX (age, 0);
  if (self->window_start < 0)
    {
      self->window_start = cursor;
      self->window_min = G_MAXINT64;
    }
  self->window_min = MIN (self->window_min, delay);
  if (cursor - self->window_start >= self->window)
    {
      gint64 excess = self->window_min - target;

      /* Every frame of the window had this much to spare: shedding it
       * would not have starved the sink. Whole frames, and the rest cut
       * from the head of the next one, so the delay comes back to the
       * target itself rather than to within a frame of it. */
      self->shed = excess > SHRINK_THRESHOLD ? excess : 0;
      self->window_start = cursor;
      self->window_min = G_MAXINT64;
      if (self->shed >= duration)
        {
          self->shed -= duration;
          return OH_MEDIA_JITTER_DROP;
        }
    }

  if (self->shed > 0)
    {
      *trim = self->shed;
      self->shed = 0;
    }

  *pts = self->next_pts;
  self->next_pts += duration - *trim;
  if (self->discont)
    {
      self->discont = FALSE;
      return OH_MEDIA_JITTER_PLAY_DISCONT;
    }

  return OH_MEDIA_JITTER_PLAY;
}

/**
 * oh_media_jitter_buffered:
 * @now: the running time
 * @queued: the duration of the frames waiting in the queue
 *
 * Returns: how long the newest frame received will wait to be heard, in
 *   nanoseconds.
 */
gint64
oh_media_jitter_buffered (const OhMediaJitter *self,
                          gint64               now,
                          gint64               queued)
{
  if (self->next_pts < 0)
    return queued;

  return MAX (self->next_pts - (now - self->latency), 0) + queued;
}
