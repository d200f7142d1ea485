/* oh-hud-users-view.c: the users of the PBX, with presence and search
 *
 * A list box bound to the client's users through a filter for the search
 * entry: rows come and go with InterfacesAdded/Removed, and each row
 * follows its user's PropertiesChanged itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-format.h"
#include "oh-hud-user-row.h"
#include "oh-hud-users-view.h"
#include "oh-hud-util.h"

struct _OhHudUsersView
{
  GtkBox              parent_instance;

  OhHudClient        *client;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  char               *search_key;

  GtkWidget          *search;
  GtkWidget          *summary;
  GtkWidget          *list;
  GtkWidget          *placeholder;
};

G_DEFINE_FINAL_TYPE (OhHudUsersView, oh_hud_users_view, GTK_TYPE_BOX)

static gboolean
filter_user (gpointer item,
             gpointer data)
{
  OhHudUsersView *self = data;
  OhDBusUser *user = item;
  const char *fields[] = {
    oh_dbus_user_get_full_name (user),
    oh_dbus_user_get_extension (user),
    oh_dbus_user_get_username (user),
    oh_dbus_user_get_mobile (user),
    oh_dbus_user_get_email (user),
    NULL
  };

  return oh_hud_matches (self->search_key, fields);
}

static GtkWidget *
create_row (gpointer item,
            gpointer data)
{
  OhHudUsersView *self = data;

  return oh_hud_user_row_new (self->client, item);
}

static void
update_summary (OhHudUsersView *self)
{
  GListModel *users = oh_hud_client_get_users (self->client);
  guint total = g_list_model_get_n_items (users);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint available = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < total; i++)
    {
      g_autoptr(OhDBusUser) user = g_list_model_get_item (users, i);

      if (g_strcmp0 (oh_dbus_user_get_presence (user), "available") == 0)
        available++;
    }
  if (shown != total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u user", "%u of %u users", total),
                            shown, total);
  else
    /* TRANSLATORS: "12 users · 9 available" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u user · %u available",
                                         "%u users · %u available", total),
                            total, available);
  gtk_label_set_text (GTK_LABEL (self->summary), text);

  if (self->search_key && *self->search_key)
    {
      g_autofree char *title =
        g_strdup_printf (_("No user matches “%s”"),
                         gtk_editable_get_text (GTK_EDITABLE (self->search)));

      adw_status_page_set_title (ADW_STATUS_PAGE (self->placeholder), title);
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->placeholder), "edit-find-symbolic");
    }
  else
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->placeholder), _("No users yet"));
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->placeholder),
                                     "system-users-symbolic");
    }
}

static void
on_users_changed (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  OhHudUsersView *self)
{
  update_summary (self);
}

static void
on_presence_changed (OhHudUsersView *self)
{
  update_summary (self);
}

static void
on_user_added (GListModel     *users,
               guint           position,
               guint           removed,
               guint           added,
               OhHudUsersView *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(OhDBusUser) user = g_list_model_get_item (users, i);

      /* A user that moved (new extension) comes back as added: once is enough. */
      g_signal_handlers_disconnect_by_func (user, on_presence_changed, self);
      g_signal_connect_object (user, "notify::presence", G_CALLBACK (on_presence_changed), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
on_search_changed (GtkSearchEntry *entry,
                   OhHudUsersView *self)
{
  g_free (self->search_key);
  self->search_key = oh_hud_search_key (gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
}

static void
on_search_activate (GtkSearchEntry *entry,
                    OhHudUsersView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), 0);

  /* Enter on a search with one hit moves to that user's buttons. */
  if (row && gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), 1) == NULL)
    gtk_widget_child_focus (GTK_WIDGET (row), GTK_DIR_TAB_FORWARD);
}

static void
oh_hud_users_view_dispose (GObject *object)
{
  OhHudUsersView *self = OH_HUD_USERS_VIEW (object);

  if (self->list)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->list), NULL, NULL, NULL, NULL);
  self->list = NULL;
  g_clear_object (&self->filtered);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_users_view_parent_class)->dispose (object);
}

static void
oh_hud_users_view_finalize (GObject *object)
{
  OhHudUsersView *self = OH_HUD_USERS_VIEW (object);

  g_free (self->search_key);

  G_OBJECT_CLASS (oh_hud_users_view_parent_class)->finalize (object);
}

static void
oh_hud_users_view_class_init (OhHudUsersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_hud_users_view_dispose;
  object_class->finalize = oh_hud_users_view_finalize;
}

static void
oh_hud_users_view_init (OhHudUsersView *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *clamp_top = adw_clamp_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  self->search_key = g_strdup ("");

  self->search = gtk_search_entry_new ();
  g_object_set (self->search, "placeholder-text",
                                         _("Search by name or number"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search users"), -1);
  g_signal_connect (self->search, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->search, "activate", G_CALLBACK (on_search_activate), self);
  self->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_widget_add_css_class (self->summary, "caption");
  gtk_box_append (GTK_BOX (top), self->search);
  gtk_box_append (GTK_BOX (top), self->summary);
  gtk_widget_set_margin_top (top, 12);
  gtk_widget_set_margin_start (top, 12);
  gtk_widget_set_margin_end (top, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp_top), 860);
  adw_clamp_set_child (ADW_CLAMP (clamp_top), top);
  gtk_box_append (GTK_BOX (self), clamp_top);

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_valign (self->list, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Users"), -1);
  self->placeholder = adw_status_page_new ();
  gtk_widget_add_css_class (self->placeholder, "compact");
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->list), self->placeholder);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 860);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->list);
  gtk_widget_set_margin_top (clamp, 6);
  gtk_widget_set_margin_bottom (clamp, 18);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (self), scrolled);
}

/**
 * oh_hud_users_view_new:
 * @client: the HUD's client
 *
 * Returns: (transfer floating): the users view
 */
GtkWidget *
oh_hud_users_view_new (OhHudClient *client)
{
  OhHudUsersView *self = g_object_new (OH_TYPE_HUD_USERS_VIEW, NULL);
  GListModel *users = oh_hud_client_get_users (client);

  self->client = g_object_ref (client);
  self->filter = gtk_custom_filter_new (filter_user, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (users), GTK_FILTER (self->filter));
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list), G_LIST_MODEL (self->filtered), create_row,
                           self, NULL);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_users_changed), self,
                           0);
  g_signal_connect_object (users, "items-changed", G_CALLBACK (on_user_added), self, 0);
  on_user_added (users, 0, 0, g_list_model_get_n_items (users), self);
  update_summary (self);
  return GTK_WIDGET (self);
}

void
oh_hud_users_view_focus_search (OhHudUsersView *self)
{
  g_return_if_fail (OH_IS_HUD_USERS_VIEW (self));
  gtk_widget_grab_focus (self->search);
}

/**
 * oh_hud_users_view_set_search:
 * @text: the search
 *
 * Types @text into the search entry.
 */
void
oh_hud_users_view_set_search (OhHudUsersView *self,
                              const char     *text)
{
  g_return_if_fail (OH_IS_HUD_USERS_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search), text);
  /* Filter now rather than after the entry's typing delay. */
  on_search_changed (GTK_SEARCH_ENTRY (self->search), self);
}

/**
 * oh_hud_users_view_dump:
 * @builder: inside an object
 *
 * Adds "search", "summary" and "users" (the rows shown, in order).
 */
void
oh_hud_users_view_dump (OhHudUsersView *self,
                        JsonBuilder    *builder)
{
  GtkListBoxRow *row;

  json_builder_set_member_name (builder, "search");
  json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (self->search)));
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (self->summary)));
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), i)); i++)
    if (OH_IS_HUD_USER_ROW (row))
      oh_hud_user_row_dump (OH_HUD_USER_ROW (row), builder);
  json_builder_end_array (builder);
}
