/* oh-hud-screenshot.c: a window as a PNG, without a screenshot tool
 *
 * Waits for the next frame to be painted (so a view switched to just now
 * is laid out), then renders the widget's snapshot with the window's own
 * GskRenderer into a texture and saves it. The file is written beside
 * the target and renamed, so whoever waits for it never reads half a PNG.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "oh-hud-screenshot.h"

typedef struct {
  GtkWidget     *widget;
  GdkFrameClock *clock;
  gulong         handler;
  char          *path;
} Shot;

static void
shot_free (Shot *shot)
{
  if (shot->handler)
    g_signal_handler_disconnect (shot->clock, shot->handler);
  g_clear_object (&shot->clock);
  g_clear_object (&shot->widget);
  g_free (shot->path);
  g_free (shot);
}

static gboolean
render (GtkWidget   *widget,
        const char  *path,
        GError     **error)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native ? gtk_native_get_renderer (native) : NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *tmp = NULL;

  if (renderer == NULL || width <= 0 || height <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("The window is not shown yet"));
      return FALSE;
    }
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The window drew nothing"));
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  tmp = g_strconcat (path, ".tmp", NULL);
  if (!gdk_texture_save_to_png (texture, tmp))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write “%s”"), tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot write “%s”: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
on_after_paint (GdkFrameClock *clock,
                GTask         *task)
{
  Shot *shot = g_task_get_task_data (task);
  GError *error = NULL;

  g_signal_handler_disconnect (clock, shot->handler);
  shot->handler = 0;
  if (render (shot->widget, shot->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

/**
 * oh_hud_screenshot_async:
 * @widget: a shown widget, usually a window
 * @path: the PNG file to write
 *
 * Saves what @widget shows after its next frame.
 */
void
oh_hud_screenshot_async (GtkWidget           *widget,
                         const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (widget, cancellable, callback, user_data);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  Shot *shot;

  g_task_set_source_tag (task, oh_hud_screenshot_async);
  if (clock == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The window is not shown yet"));
      return;
    }
  shot = g_new0 (Shot, 1);
  shot->widget = g_object_ref (widget);
  shot->clock = g_object_ref (clock);
  shot->path = g_strdup (path);
  g_task_set_task_data (task, shot, (GDestroyNotify) shot_free);
  shot->handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint),
                                    g_object_ref (task));
  gtk_widget_queue_draw (widget);
}

/**
 * oh_hud_screenshot_finish:
 *
 * Returns: %TRUE when the PNG is written
 */
gboolean
oh_hud_screenshot_finish (GtkWidget     *widget,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, widget), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
