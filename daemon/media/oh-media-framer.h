/* oh-media-framer.h: captured audio, cut into frames for the main context
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * OhMediaFramerFunc:
 * @frames: @n_frames frames, back to back; the callee may modify them
 * @n_frames: at least 1
 * @user_data: as given to oh_media_framer_new()
 *
 * Runs on the framer's main context with every complete frame so far.
 */
typedef void (*OhMediaFramerFunc) (guint8   *frames,
                                   gsize     n_frames,
                                   gpointer  user_data);

typedef struct _OhMediaFramer OhMediaFramer;

OhMediaFramer *oh_media_framer_new         (GMainContext      *context,
                                            gsize              frame_bytes,
                                            gsize              max_pending,
                                            OhMediaFramerFunc  func,
                                            gpointer           user_data);
void           oh_media_framer_free        (OhMediaFramer *self);
void           oh_media_framer_push        (OhMediaFramer *self,
                                            GstBuffer     *buffer);
void           oh_media_framer_clear       (OhMediaFramer *self);
gsize          oh_media_framer_get_pending (OhMediaFramer *self);
guint64        oh_media_framer_get_dropped (OhMediaFramer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhMediaFramer, oh_media_framer_free)

G_END_DECLS
