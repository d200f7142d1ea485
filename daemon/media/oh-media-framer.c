/* oh-media-framer.c: captured audio, cut into frames for the main context
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A streaming thread pushes buffers of whatever size the source makes; the
 * main context receives frames of exactly the announced size. The thread
 * wakes the main context only when a whole frame is waiting and no wake-up
 * is pending, and the main context takes every complete frame at once: one
 * dispatch per batch, not per frame.
 */
#define G_LOG_DOMAIN "offhook-media"

#include <gst/base/gstadapter.h>

#include "oh-media-framer.h"

struct _OhMediaFramer
{
  gsize frame_bytes;
  gsize max_pending;
  OhMediaFramerFunc func;
  gpointer user_data;
  GSource *source;

  GMutex lock;
  GstAdapter *adapter;
  gboolean wakeup_pending;
  guint64 dropped;
};

/* Dispatched once its ready time is set: g_source_set_ready_time() is the
 * cheapest thread-safe way to wake a GMainContext. */
static gboolean
framer_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs framer_source_funcs = {
  .dispatch = framer_source_dispatch,
};

static gboolean
on_frames_ready (gpointer user_data)
{
  OhMediaFramer *self = user_data;
  g_autofree guint8 *frames = NULL;
  gsize n_frames;

  g_mutex_lock (&self->lock);
  self->wakeup_pending = FALSE;
  n_frames = gst_adapter_available (self->adapter) / self->frame_bytes;
  if (n_frames > 0)
    frames = gst_adapter_take (self->adapter, n_frames * self->frame_bytes);
  g_mutex_unlock (&self->lock);

  if (n_frames > 0)
    self->func (frames, n_frames, self->user_data);

  return G_SOURCE_CONTINUE;
}

/**
 * oh_media_framer_new:
 * @context: where @func runs
 * @frame_bytes: the size of every frame
 * @max_pending: how much audio may wait for @context before the oldest
 *   frames are dropped
 */
OhMediaFramer *
oh_media_framer_new (GMainContext      *context,
                     gsize              frame_bytes,
                     gsize              max_pending,
                     OhMediaFramerFunc  func,
                     gpointer           user_data)
{
  OhMediaFramer *self = g_new0 (OhMediaFramer, 1);

  g_return_val_if_fail (frame_bytes > 0, NULL);

  self->frame_bytes = frame_bytes;
  self->max_pending = MAX (max_pending, frame_bytes);
  self->func = func;
  self->user_data = user_data;
  g_mutex_init (&self->lock);
  self->adapter = gst_adapter_new ();
  self->source = g_source_new (&framer_source_funcs, sizeof (GSource));
  g_source_set_name (self->source, "[offhook] media frames");
  g_source_set_callback (self->source, on_frames_ready, self, NULL);
  g_source_attach (self->source, context);

  return self;
}

/**
 * oh_media_framer_free:
 *
 * No thread may be pushing any more.
 */
void
oh_media_framer_free (OhMediaFramer *self)
{
  g_source_destroy (self->source);
  g_source_unref (self->source);
  g_object_unref (self->adapter);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * oh_media_framer_push:
 * @buffer: (transfer none): captured audio
 *
 * Any thread.
 */
void
oh_media_framer_push (OhMediaFramer *self,
                      GstBuffer     *buffer)
{
  gboolean wake = FALSE;
  gsize available;

  g_mutex_lock (&self->lock);
  gst_adapter_push (self->adapter, gst_buffer_ref (buffer));
  available = gst_adapter_available (self->adapter);
  if (available > self->max_pending)
    {
      /* The main context is not collecting: drop the oldest whole frames. */
      gsize excess = (available - self->max_pending + self->frame_bytes - 1) / self->frame_bytes;

      gst_adapter_flush (self->adapter, excess * self->frame_bytes);
      self->dropped += excess;
      available -= excess * self->frame_bytes;
    }
  if (!self->wakeup_pending && available >= self->frame_bytes)
    {
      self->wakeup_pending = TRUE;
      wake = TRUE;
    }
  g_mutex_unlock (&self->lock);

  if (wake)
    g_source_set_ready_time (self->source, 0);
}

/**
 * oh_media_framer_clear:
 *
 * Drops what is waiting, for when the stream restarts.
 */
void
oh_media_framer_clear (OhMediaFramer *self)
{
  g_mutex_lock (&self->lock);
  gst_adapter_clear (self->adapter);
  self->wakeup_pending = FALSE;
  g_mutex_unlock (&self->lock);
}

/**
 * oh_media_framer_get_pending:
 *
 * Returns: the bytes of audio waiting for the main context.
 */
gsize
oh_media_framer_get_pending (OhMediaFramer *self)
{
  gsize pending;

  g_mutex_lock (&self->lock);
  pending = gst_adapter_available (self->adapter);
  g_mutex_unlock (&self->lock);
  return pending;
}

/**
 * oh_media_framer_get_dropped:
 *
 * Returns: how many frames were dropped because the main context was not
 *   collecting them.
 */
guint64
oh_media_framer_get_dropped (OhMediaFramer *self)
{
  guint64 dropped;

  g_mutex_lock (&self->lock);
  dropped = self->dropped;
  g_mutex_unlock (&self->lock);
  return dropped;
}
