/* oh-hud-util.c: small widgets and helpers the views share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <string.h>
#include <glib/gi18n.h>

#include "oh-hud-format.h"
#include "oh-hud-util.h"
#include "oh-hud-window.h"

/**
 * oh_hud_set_tooltip_label:
 * @widget: a widget without visible text
 * @label: what it does
 *
 * Gives a widget without visible text the same tooltip and screen
 * reader label.
 */
void
oh_hud_set_tooltip_label (GtkWidget  *widget,
                          const char *label)
{
  gtk_widget_set_tooltip_text (widget, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/**
 * oh_hud_icon_button:
 * @icon_name: a symbolic icon
 * @label: what the button does (tooltip and accessible label)
 *
 * Returns: (transfer floating): a flat, round icon button
 */
GtkWidget *
oh_hud_icon_button (const char *icon_name,
                    const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  oh_hud_set_tooltip_label (button, label);
  return button;
}

/**
 * oh_hud_presence_dot_new:
 *
 * Returns: (transfer floating): a coloured dot for a User.Presence
 */
GtkWidget *
oh_hud_presence_dot_new (void)
{
  /* An empty box: its size is only what the CSS says. */
  GtkWidget *dot = g_object_new (GTK_TYPE_BOX, "accessible-role", GTK_ACCESSIBLE_ROLE_IMG, NULL);

  gtk_widget_add_css_class (dot, "presence-dot");
  gtk_widget_set_halign (dot, GTK_ALIGN_END);
  gtk_widget_set_valign (dot, GTK_ALIGN_END);
  gtk_widget_set_can_target (dot, TRUE);
  oh_hud_presence_dot_set (dot, NULL);
  return dot;
}

/**
 * oh_hud_set_css_state:
 * @widget: a widget
 * @prefix: the class prefix, e.g. "state-"
 * @state: (nullable): the state; only [a-z-] make it into the class name
 *
 * Replaces the widget's @prefix* class by @prefix@state.
 */
void
oh_hud_set_css_state (GtkWidget  *widget,
                      const char *prefix,
                      const char *state)
{
  g_auto(GStrv) classes = gtk_widget_get_css_classes (widget);
  g_autoptr(GString) name = g_string_new (prefix);

  for (guint i = 0; classes && classes[i]; i++)
    if (g_str_has_prefix (classes[i], prefix))
      gtk_widget_remove_css_class (widget, classes[i]);
  for (const char *p = state; p && *p; p++)
    if ((*p >= 'a' && *p <= 'z') || *p == '-')
      g_string_append_c (name, *p);
  if (name->len > strlen (prefix))
    gtk_widget_add_css_class (widget, name->str);
}

void
oh_hud_presence_dot_set (GtkWidget  *dot,
                         const char *presence)
{
  const char *label = oh_hud_presence_label (presence);

  oh_hud_set_css_state (dot, "presence-", NULL);
  gtk_widget_add_css_class (dot, "presence-dot");
  gtk_widget_add_css_class (dot, oh_hud_presence_class (presence));
  oh_hud_set_tooltip_label (dot, label);
}

/**
 * oh_hud_clear_list_box:
 * @box: a list box that is not bound to a model
 *
 * Removes every row.
 */
void
oh_hud_clear_list_box (GtkListBox *box)
{
  GtkListBoxRow *row;

  /* Rows only: the placeholder is a child too. */
  while ((row = gtk_list_box_get_row_at_index (box, 0)) != NULL)
    gtk_list_box_remove (box, GTK_WIDGET (row));
}

/**
 * oh_hud_error_message:
 * @error: an error from the daemon or the bus
 *
 * Returns: the message for a person, without the D-Bus error name
 */
char *
oh_hud_error_message (const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  if (g_dbus_error_is_remote_error (copy))
    {
      g_autofree char *remote = g_dbus_error_get_remote_error (copy);

      g_dbus_error_strip_remote_error (copy);
      if (remote && (g_str_equal (remote, "org.freedesktop.DBus.Error.ServiceUnknown") ||
                     g_str_equal (remote, "org.freedesktop.DBus.Error.NameHasNoOwner")))
        return g_strdup (_("The Offhook service is not running"));
    }
  return g_strdup (copy->message);
}

static OhHudWindow *
active_window (void)
{
  GApplication *app = g_application_get_default ();
  GtkWindow *window = GTK_IS_APPLICATION (app)
                        ? gtk_application_get_active_window (GTK_APPLICATION (app))
                        : NULL;

  return OH_IS_HUD_WINDOW (window) ? OH_HUD_WINDOW (window) : NULL;
}

/**
 * oh_hud_report_message:
 * @message: what went wrong, for a person
 *
 * Shows @message as a toast in the active window.
 */
void
oh_hud_report_message (const char *message)
{
  OhHudWindow *window = active_window ();

  g_message ("%s", message);
  if (window)
    oh_hud_window_toast (window, message);
}

/**
 * oh_hud_report_error:
 * @error: an error of a method call
 *
 * Shows what went wrong as a toast in the active window.
 */
void
oh_hud_report_error (const GError *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  message = oh_hud_error_message (error);
  oh_hud_report_message (message);
}

/**
 * oh_hud_on_call_done:
 *
 * A #GAsyncReadyCallback for a method of a generated proxy whose reply
 * nobody needs: reports an error, if any.
 */
void
oh_hud_on_call_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);

  if (reply == NULL)
    oh_hud_report_error (error);
}
