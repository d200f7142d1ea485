/* oh-media-latency.h: how long received frames take to be heard
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OH_MEDIA_LATENCY_BUCKET_US 500
#define OH_MEDIA_LATENCY_BUCKETS 2000
#define OH_MEDIA_LATENCY_RECENT 64

typedef struct {
  gint64 pts;
  gint64 end;
  gint64 push_us;
} OhMediaLatencyFrame;

/**
 * OhMediaLatency:
 *
 * Remembers when the frames recently sent towards the sink were pushed, and
 * collects the time from push to being heard, in 0.5 ms buckets up to one
 * second. Not thread-safe: the caller locks.
 */
typedef struct {
  OhMediaLatencyFrame recent[OH_MEDIA_LATENCY_RECENT];
  guint next;
  guint32 histogram[OH_MEDIA_LATENCY_BUCKETS + 1];
  guint64 samples;
  gint64 max_us;
} OhMediaLatency;

void     oh_media_latency_forget_frames (OhMediaLatency *self);
void     oh_media_latency_note_frame    (OhMediaLatency *self,
                                         gint64          pts,
                                         gint64          duration,
                                         gint64          push_us);
gboolean oh_media_latency_note_heard    (OhMediaLatency *self,
                                         gint64          pts,
                                         gint64          heard_us);
double   oh_media_latency_percentile    (const OhMediaLatency *self,
                                         double                fraction);

G_END_DECLS
