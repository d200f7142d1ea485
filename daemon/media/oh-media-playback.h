/* oh-media-playback.h: received frames into the pipeline, timed and bounded
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "oh-media-format.h"

G_BEGIN_DECLS

typedef struct _OhMediaStats OhMediaStats;
typedef struct _OhMediaPlayback OhMediaPlayback;

OhMediaPlayback *oh_media_playback_new        (const OhMediaFormat *format,
                                               GstClockTime         target,
                                               GstClockTime         limit);
void             oh_media_playback_free       (OhMediaPlayback *self);
void             oh_media_playback_attach     (OhMediaPlayback *self,
                                               GstElement      *appsrc,
                                               GstElement      *sink);
void             oh_media_playback_push       (OhMediaPlayback *self,
                                               GBytes          *frame);
void             oh_media_playback_reset      (OhMediaPlayback *self);
void             oh_media_playback_fill_stats (OhMediaPlayback *self,
                                               OhMediaStats    *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhMediaPlayback, oh_media_playback_free)

G_END_DECLS
