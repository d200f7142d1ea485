/* oh-hud-sessions-view.c: every call on the PBX
 *
 * The operator's view: a list box bound to the client's sessions, which
 * come and go with InterfacesAdded/Removed; each row follows its session.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-session-row.h"
#include "oh-hud-sessions-view.h"

struct _OhHudSessionsView
{
  GtkBox       parent_instance;

  OhHudClient *client;
  GtkWidget   *summary;
  GtkWidget   *list;
};

G_DEFINE_FINAL_TYPE (OhHudSessionsView, oh_hud_sessions_view, GTK_TYPE_BOX)

static GtkWidget *
create_row (gpointer item,
            gpointer data)
{
  OhHudSessionsView *self = data;

  return oh_hud_session_row_new (self->client, item);
}

static void
on_sessions_changed (GListModel        *sessions,
                     guint              position,
                     guint              removed,
                     guint              added,
                     OhHudSessionsView *self)
{
  guint n = g_list_model_get_n_items (sessions);
  g_autofree char *text = NULL;

  if (n == 0)
    text = g_strdup (_("Nobody is on the phone"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u call on the phone system",
                                         "%u calls on the phone system", n),
                            n);
  gtk_label_set_text (GTK_LABEL (self->summary), text);
}

static void
oh_hud_sessions_view_dispose (GObject *object)
{
  OhHudSessionsView *self = OH_HUD_SESSIONS_VIEW (object);

  if (self->list)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->list), NULL, NULL, NULL, NULL);
  self->list = NULL;
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_sessions_view_parent_class)->dispose (object);
}

static void
oh_hud_sessions_view_class_init (OhHudSessionsViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_hud_sessions_view_dispose;
}

static void
oh_hud_sessions_view_init (OhHudSessionsView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Calls on the Phone System"));
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *placeholder = adw_status_page_new ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_widget_add_css_class (heading, "title-4");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  self->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_widget_add_css_class (self->summary, "caption");
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_margin_top (self->list, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Calls on the phone system"), -1);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (placeholder), "network-workgroup-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (placeholder), _("All Quiet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (placeholder),
                                   _("Calls anywhere on the phone system show up here"));
  gtk_widget_add_css_class (placeholder, "compact");
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->list), placeholder);

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), self->summary);
  gtk_box_append (GTK_BOX (box), self->list);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 860);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (self), scrolled);
}

/**
 * oh_hud_sessions_view_new:
 * @client: the HUD's client
 *
 * Returns: (transfer floating): the sessions view
 */
GtkWidget *
oh_hud_sessions_view_new (OhHudClient *client)
{
  OhHudSessionsView *self = g_object_new (OH_TYPE_HUD_SESSIONS_VIEW, NULL);
  GListModel *sessions = oh_hud_client_get_sessions (client);

  self->client = g_object_ref (client);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list), sessions, create_row, self, NULL);
  g_signal_connect_object (sessions, "items-changed", G_CALLBACK (on_sessions_changed), self, 0);
  on_sessions_changed (sessions, 0, 0, 0, self);
  return GTK_WIDGET (self);
}

/**
 * oh_hud_sessions_view_dump:
 * @builder: inside an object
 *
 * Adds "sessions", the rows shown.
 */
void
oh_hud_sessions_view_dump (OhHudSessionsView *self,
                           JsonBuilder       *builder)
{
  GtkListBoxRow *row;

  json_builder_set_member_name (builder, "sessions");
  json_builder_begin_array (builder);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), i)); i++)
    if (OH_IS_HUD_SESSION_ROW (row))
      oh_hud_session_row_dump (OH_HUD_SESSION_ROW (row), builder);
  json_builder_end_array (builder);
}
