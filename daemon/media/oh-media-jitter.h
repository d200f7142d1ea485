/* oh-media-jitter.h: when each received frame plays, and which ones to drop
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * OhMediaJitterVerdict:
 * @OH_MEDIA_JITTER_PLAY: play the frame at the time given
 * @OH_MEDIA_JITTER_PLAY_DISCONT: play it, after a gap (the buffer ran dry)
 * @OH_MEDIA_JITTER_DROP: drop it: it is the oldest audio of a buffer that
 *   holds too much
 */
typedef enum {
  OH_MEDIA_JITTER_PLAY,
  OH_MEDIA_JITTER_PLAY_DISCONT,
  OH_MEDIA_JITTER_DROP,
} OhMediaJitterVerdict;

/**
 * OhMediaJitter:
 *
 * The policy of the playback jitter buffer, kept apart from GStreamer so it
 * can be tested with made-up times. Times are nanoseconds of running time;
 * a frame with timestamp `pts` is heard at `pts + latency`, the latency of
 * the sink the pipeline configured.
 *
 * Frames are queued in arrival order and handed to oh_media_jitter_schedule()
 * oldest first as they leave the queue. A frame that arrives after its slot
 * has passed restarts the timeline so that it is heard @target after it
 * arrived (or after the sink's latency, if that is longer). When more than
 * @limit would wait, the oldest frames are dropped; when the sink's latency
 * grows, as much audio is dropped; and when every frame of a whole window
 * waited longer than the target (after a burst), the excess is dropped, so
 * the delay returns to the target. Audio is dropped in whole frames, and
 * what is left of an excess by cutting the head of the next frame.
 */
typedef struct {
  gint64 target;
  gint64 limit;
  gint64 latency;
  gint64 window;
  gint64 next_pts;
  gint64 window_start;
  gint64 window_min;
  gint64 shed;
  gboolean discont;
} OhMediaJitter;

void                 oh_media_jitter_init        (OhMediaJitter *self,
                                                  gint64         target,
                                                  gint64         limit);
void                 oh_media_jitter_reset       (OhMediaJitter *self);
void                 oh_media_jitter_set_latency (OhMediaJitter *self,
                                                  gint64         latency);
OhMediaJitterVerdict oh_media_jitter_schedule    (OhMediaJitter *self,
                                                  gint64         now,
                                                  gint64         duration,
                                                  gint64         queued,
                                                  gint64         age,
                                                  gint64        *pts,
                                                  gint64        *trim);
gint64               oh_media_jitter_buffered    (const OhMediaJitter *self,
                                                  gint64               now,
                                                  gint64               queued);

G_END_DECLS
