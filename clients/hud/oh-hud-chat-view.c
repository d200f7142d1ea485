/* oh-hud-chat-view.c: conversations with the other users
 *
 * The sidebar lists the users with their unread counts (Chat.Unread);
 * the open conversation is one Chat.Conversation() call, then grows with
 * MessageReceived and MessageSent, so a message sent from another window
 * or client shows here too. A conversation that is on screen is marked
 * read. Enter sends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-chat-view.h"
#include "oh-hud-format.h"
#include "oh-hud-util.h"

#define PAGE_SIZE 50

struct _OhHudChatView
{
  GtkBox              parent_instance;

  OhHudClient        *client;
  GCancellable       *cancellable;
  GtkFilterListModel *others;
  GtkCustomFilter    *filter;    /* owned by others */
  char               *peer;      /* the open conversation's extension */
  GHashTable         *shown;     /* message ids in the list */
  guint               generation;

  GtkWidget          *sidebar;
  GtkWidget          *stack;
  GtkWidget          *peer_avatar;
  GtkWidget          *peer_name;
  GtkWidget          *peer_detail;
  GtkWidget          *messages;
  GtkWidget          *scrolled;
  GtkWidget          *entry;
  GtkWidget          *send;
};

G_DEFINE_FINAL_TYPE (OhHudChatView, oh_hud_chat_view, GTK_TYPE_BOX)

static const char *
lookup_string (GVariant   *dict,
               const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (dict, key, "&s", &value))
    return "";
  return value;
}

static guint
unread_for (OhHudChatView *self,
            const char    *extension)
{
  OhDBusChat *chat = oh_hud_client_get_chat (self->client);
  GVariant *unread = chat ? oh_dbus_chat_get_unread (chat) : NULL;
  guint32 count = 0;

  if (unread && extension)
    g_variant_lookup (unread, extension, "u", &count);
  return count;
}

/* --- the sidebar ----------------------------------------------------- */

static gboolean
is_other (gpointer item,
          gpointer data)
{
  OhHudChatView *self = data;
  const char *own = oh_hud_client_get_own_extension (self->client);

  return own == NULL || g_strcmp0 (oh_dbus_user_get_extension (item), own) != 0;
}

static void
render_peer_row (OhHudChatView *self,
                 GtkWidget     *row)
{
  OhDBusUser *user = g_object_get_data (G_OBJECT (row), "user");
  GtkWidget *name = g_object_get_data (G_OBJECT (row), "name");
  GtkWidget *badge = g_object_get_data (G_OBJECT (row), "badge");
  GtkWidget *avatar = g_object_get_data (G_OBJECT (row), "avatar");
  GtkWidget *dot = g_object_get_data (G_OBJECT (row), "dot");
  const char *full_name = oh_dbus_user_get_full_name (user);
  const char *title = full_name && *full_name ? full_name : oh_dbus_user_get_extension (user);
  guint unread = unread_for (self, oh_dbus_user_get_extension (user));
  g_autofree char *count = g_strdup_printf ("%u", unread);
  g_autofree char *label = NULL;

  gtk_label_set_text (GTK_LABEL (name), title ? title : "");
  adw_avatar_set_text (ADW_AVATAR (avatar), title);
  oh_hud_presence_dot_set (dot, oh_dbus_user_get_presence (user));
  gtk_label_set_text (GTK_LABEL (badge), count);
  gtk_widget_set_visible (badge, unread > 0);
  g_object_set_data (G_OBJECT (row), "unread", GUINT_TO_POINTER (unread));
  if (unread > 0)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u unread message",
                                          "%s, %u unread messages", unread),
                             title ? title : "", unread);
  else
    label = g_strdup (title ? title : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
on_peer_user_changed (OhDBusUser *user,
                      GParamSpec *pspec,
                      GtkWidget  *row)
{
  OhHudChatView *self = g_object_get_data (G_OBJECT (row), "view");

  render_peer_row (self, row);
}

static GtkWidget *
create_peer_row (gpointer item,
                 gpointer data)
{
  OhHudChatView *self = data;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *avatar = adw_avatar_new (32, NULL, TRUE);
  GtkWidget *dot = oh_hud_presence_dot_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *badge = gtk_label_new (NULL);

  gtk_overlay_set_child (GTK_OVERLAY (overlay), avatar);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), dot);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (badge, "unread-badge");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), overlay);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "user", g_object_ref (item), g_object_unref);
  g_object_set_data (G_OBJECT (row), "view", self);
  g_object_set_data (G_OBJECT (row), "name", name);
  g_object_set_data (G_OBJECT (row), "badge", badge);
  g_object_set_data (G_OBJECT (row), "avatar", avatar);
  g_object_set_data (G_OBJECT (row), "dot", dot);
  g_signal_connect_object (item, "notify", G_CALLBACK (on_peer_user_changed), row, 0);
  render_peer_row (self, row);
  return row;
}

static void
render_all_peers (OhHudChatView *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->sidebar), i)); i++)
    render_peer_row (self, GTK_WIDGET (row));
}

static void
select_peer_row (OhHudChatView *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->sidebar), i)); i++)
    {
      OhDBusUser *user = g_object_get_data (G_OBJECT (row), "user");

      if (self->peer && g_strcmp0 (oh_dbus_user_get_extension (user), self->peer) == 0)
        {
          if (gtk_list_box_get_selected_row (GTK_LIST_BOX (self->sidebar)) != row)
            gtk_list_box_select_row (GTK_LIST_BOX (self->sidebar), row);
          return;
        }
    }
}

/* --- the conversation ------------------------------------------------ */

static void
mark_read_if_seen (OhHudChatView *self)
{
  OhDBusChat *chat = oh_hud_client_get_chat (self->client);

  if (chat && self->peer && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      unread_for (self, self->peer) > 0)
    oh_dbus_chat_call_mark_read (chat, self->peer, self->cancellable, oh_hud_on_call_done, NULL);
}

static gboolean
scroll_to_end (gpointer data)
{
  OhHudChatView *self = data;
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  return G_SOURCE_REMOVE;
}

static void
append_message (OhHudChatView *self,
                GVariant      *message)
{
  const char *id = lookup_string (message, "id");
  const char *direction = lookup_string (message, "direction");
  const char *status = lookup_string (message, "status");
  gint64 time = 0;
  gboolean outgoing = g_str_equal (direction, "outgoing");
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *bubble;
  GtkWidget *meta;
  g_autofree char *when = NULL;
  g_autofree char *meta_text = NULL;

  if (*id && g_hash_table_contains (self->shown, id))
    return;
  g_hash_table_add (self->shown, g_strdup (id));
  g_variant_lookup (message, "time", "x", &time);
  when = oh_hud_format_time (time, NULL);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  bubble = gtk_label_new (lookup_string (message, "body"));
  gtk_label_set_wrap (GTK_LABEL (bubble), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (bubble), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (bubble), 50);
  gtk_label_set_selectable (GTK_LABEL (bubble), TRUE);
  gtk_label_set_xalign (GTK_LABEL (bubble), 0);
  gtk_widget_add_css_class (bubble, "bubble");
  gtk_widget_add_css_class (bubble, outgoing ? "outgoing" : "incoming");
  if (g_str_equal (status, "failed"))
    /* TRANSLATORS: "14:05 · Not delivered" */
    meta_text = g_strdup_printf (_("%s · Not delivered"), when);
  else
    meta_text = g_strdup (when);
  meta = gtk_label_new (meta_text);
  gtk_widget_add_css_class (meta, "caption");
  gtk_widget_add_css_class (meta, g_str_equal (status, "failed") ? "error" : "dim-label");
  gtk_box_append (GTK_BOX (box), bubble);
  gtk_box_append (GTK_BOX (box), meta);
  gtk_widget_set_halign (box, outgoing ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_widget_set_halign (meta, outgoing ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "message", g_variant_ref (message),
                          (GDestroyNotify) g_variant_unref);
  gtk_list_box_append (GTK_LIST_BOX (self->messages), row);
  g_idle_add_full (G_PRIORITY_LOW, scroll_to_end, g_object_ref (self), g_object_unref);
}

typedef struct {
  OhHudChatView *self;
  guint          generation;
} Load;

static void
on_conversation (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Load *load = data;
  g_autoptr(OhHudChatView) self = load->self;
  guint generation = load->generation;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) messages = NULL;
  gsize n;

  g_free (load);
  if (!oh_dbus_chat_call_conversation_finish (OH_DBUS_CHAT (source), &messages, result, &error))
    {
      if (generation == self->generation)
        oh_hud_report_error (error);
      return;
    }
  if (generation != self->generation)
    return;
  oh_hud_clear_list_box (GTK_LIST_BOX (self->messages));
  g_hash_table_remove_all (self->shown);
  /* Newest first from the daemon; oldest at the top here. */
  n = g_variant_n_children (messages);
  for (gsize i = n; i > 0; i--)
    {
      g_autoptr(GVariant) message = g_variant_get_child_value (messages, i - 1);

      append_message (self, message);
    }
  mark_read_if_seen (self);
}

static void
render_peer_header (OhHudChatView *self)
{
  OhDBusUser *user = oh_hud_client_find_user (self->client, self->peer);
  const char *name = user ? oh_dbus_user_get_full_name (user) : NULL;
  g_autofree char *detail = NULL;

  if (name == NULL || *name == '\0')
    name = self->peer;
  gtk_label_set_text (GTK_LABEL (self->peer_name), name);
  adw_avatar_set_text (ADW_AVATAR (self->peer_avatar), name);
  detail = g_strdup_printf (_("Ext. %s · %s"), self->peer,
                            oh_hud_presence_label (user ? oh_dbus_user_get_presence (user) : NULL));
  gtk_label_set_text (GTK_LABEL (self->peer_detail), detail);
}

/**
 * oh_hud_chat_view_open:
 * @peer: an extension, user name or full name
 *
 * Opens the conversation with @peer.
 *
 * Returns: %FALSE when @peer is no user
 */
gboolean
oh_hud_chat_view_open (OhHudChatView *self,
                       const char    *peer)
{
  OhDBusUser *user = oh_hud_client_find_user (self->client, peer);
  OhDBusChat *chat = oh_hud_client_get_chat (self->client);
  g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  Load *load;

  g_return_val_if_fail (OH_IS_HUD_CHAT_VIEW (self), FALSE);
  if (user == NULL || chat == NULL)
    return FALSE;
  if (g_strcmp0 (self->peer, oh_dbus_user_get_extension (user)) != 0)
    {
      g_free (self->peer);
      self->peer = g_strdup (oh_dbus_user_get_extension (user));
      oh_hud_clear_list_box (GTK_LIST_BOX (self->messages));
      g_hash_table_remove_all (self->shown);
    }
  render_peer_header (self);
  select_peer_row (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "conversation");

  g_variant_builder_add (&options, "{sv}", "limit", g_variant_new_uint32 (PAGE_SIZE));
  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->generation = ++self->generation;
  oh_dbus_chat_call_conversation (chat, self->peer, g_variant_builder_end (&options),
                                  self->cancellable, on_conversation, load);
  return TRUE;
}

static void
on_row_selected (GtkListBox    *box,
                 GtkListBoxRow *row,
                 OhHudChatView *self)
{
  OhDBusUser *user = row ? g_object_get_data (G_OBJECT (row), "user") : NULL;

  if (user && g_strcmp0 (oh_dbus_user_get_extension (user), self->peer) != 0)
    oh_hud_chat_view_open (self, oh_dbus_user_get_extension (user));
}

static void
on_message (OhDBusChat    *chat,
            GVariant      *message,
            OhHudChatView *self)
{
  const char *direction = lookup_string (message, "direction");
  const char *party = g_str_equal (direction, "outgoing") ? lookup_string (message, "to")
                                                          : lookup_string (message, "from");

  if (self->peer && g_str_equal (party, self->peer))
    {
      append_message (self, message);
      mark_read_if_seen (self);
    }
}

static void
on_unread_changed (OhDBusChat    *chat,
                   GParamSpec    *pspec,
                   OhHudChatView *self)
{
  render_all_peers (self);
  mark_read_if_seen (self);
}

static void
on_client_ready (OhHudClient   *client,
                 GParamSpec    *pspec,
                 OhHudChatView *self)
{
  OhDBusChat *chat = oh_hud_client_get_chat (client);

  if (chat == NULL || g_object_get_data (G_OBJECT (self), "watching") == chat)
    return;
  g_object_set_data (G_OBJECT (self), "watching", chat);
  g_signal_connect_object (chat, "message-received", G_CALLBACK (on_message), self, 0);
  g_signal_connect_object (chat, "message-sent", G_CALLBACK (on_message), self, 0);
  g_signal_connect_object (chat, "notify::unread", G_CALLBACK (on_unread_changed), self, 0);
  render_all_peers (self);
}

static void
on_own_extension (OhHudChatView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_client_account (OhHudClient   *client,
                   GParamSpec    *pspec,
                   OhHudChatView *self)
{
  OhDBusAccount *account = oh_hud_client_get_account (client);

  if (account == NULL || g_object_get_data (G_OBJECT (self), "account") == account)
    return;
  g_object_set_data (G_OBJECT (self), "account", account);
  g_signal_connect_object (account, "notify::extension", G_CALLBACK (on_own_extension), self,
                           G_CONNECT_SWAPPED);
  on_own_extension (self);
}

static void
on_peers_changed (OhHudChatView *self)
{
  /* Rows are made anew when a user moves: keep the open one selected. */
  select_peer_row (self);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(OhHudChatView) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  gtk_widget_set_sensitive (self->entry, TRUE);
  if (!oh_dbus_chat_call_send_finish (OH_DBUS_CHAT (source), &id, result, &error))
    {
      oh_hud_report_error (error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  gtk_widget_grab_focus (self->entry);
  /* MessageSent shows it; a failed one is stored and shown on reload. */
}

static void
send_message (OhHudChatView *self)
{
  OhDBusChat *chat = oh_hud_client_get_chat (self->client);
  const char *body = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  if (chat == NULL || self->peer == NULL || body == NULL || *body == '\0')
    return;
  gtk_widget_set_sensitive (self->entry, FALSE);
  oh_dbus_chat_call_send (chat, self->peer, body, self->cancellable, on_sent,
                          g_object_ref (self));
}

static void
on_entry_changed (OhHudChatView *self)
{
  const char *body = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  gtk_widget_set_sensitive (self->send, body && *body);
}

static void
on_map (OhHudChatView *self)
{
  mark_read_if_seen (self);
}

/* --- GObject --------------------------------------------------------- */

static void
oh_hud_chat_view_dispose (GObject *object)
{
  OhHudChatView *self = OH_HUD_CHAT_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sidebar)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->sidebar), NULL, NULL, NULL, NULL);
  self->sidebar = NULL;
  g_clear_object (&self->others);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_chat_view_parent_class)->dispose (object);
}

static void
oh_hud_chat_view_finalize (GObject *object)
{
  OhHudChatView *self = OH_HUD_CHAT_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_free (self->peer);

  G_OBJECT_CLASS (oh_hud_chat_view_parent_class)->finalize (object);
}

static void
oh_hud_chat_view_class_init (OhHudChatViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_hud_chat_view_dispose;
  object_class->finalize = oh_hud_chat_view_finalize;
}

static GtkWidget *
conversation_new (OhHudChatView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *clamp = adw_clamp_new ();

  self->peer_avatar = adw_avatar_new (40, NULL, TRUE);
  self->peer_name = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->peer_name, "heading");
  gtk_label_set_xalign (GTK_LABEL (self->peer_name), 0);
  self->peer_detail = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->peer_detail, "dim-label");
  gtk_widget_add_css_class (self->peer_detail, "caption");
  gtk_label_set_xalign (GTK_LABEL (self->peer_detail), 0);
  gtk_box_append (GTK_BOX (text), self->peer_name);
  gtk_box_append (GTK_BOX (text), self->peer_detail);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), self->peer_avatar);
  gtk_box_append (GTK_BOX (header), text);
  gtk_widget_add_css_class (header, "chat-header");
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  self->messages = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->messages), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->messages, "chat-messages");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->messages), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Messages"), -1);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->messages);
  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), self->scrolled);

  self->entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), _("Write a message, Enter sends"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Message"), -1);
  gtk_widget_set_hexpand (self->entry, TRUE);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (send_message), self);
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (on_entry_changed), self);
  self->send = oh_hud_icon_button ("mail-send-symbolic", _("Send"));
  gtk_widget_remove_css_class (self->send, "flat");
  gtk_widget_add_css_class (self->send, "suggested-action");
  gtk_widget_set_sensitive (self->send, FALSE);
  g_signal_connect_swapped (self->send, "clicked", G_CALLBACK (send_message), self);
  gtk_box_append (GTK_BOX (bottom), self->entry);
  gtk_box_append (GTK_BOX (bottom), self->send);
  gtk_widget_add_css_class (bottom, "chat-compose");
  gtk_box_append (GTK_BOX (box), bottom);
  return box;
}

static void
oh_hud_chat_view_init (OhHudChatView *self)
{
  GtkWidget *side = gtk_scrolled_window_new ();
  GtkWidget *empty = adw_status_page_new ();

  self->cancellable = g_cancellable_new ();
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);

  self->sidebar = gtk_list_box_new ();
  gtk_widget_add_css_class (self->sidebar, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sidebar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Conversations"), -1);
  g_signal_connect (self->sidebar, "row-selected", G_CALLBACK (on_row_selected), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (side), self->sidebar);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (side), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (side, 240, -1);
  gtk_widget_add_css_class (side, "chat-sidebar");
  gtk_box_append (GTK_BOX (self), side);
  gtk_box_append (GTK_BOX (self), gtk_separator_new (GTK_ORIENTATION_VERTICAL));

  self->stack = gtk_stack_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "chat-message-new-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Conversation Open"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Pick someone on the left to write to"));
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_stack_add_named (GTK_STACK (self->stack), conversation_new (self), "conversation");
  gtk_widget_set_hexpand (self->stack, TRUE);
  gtk_box_append (GTK_BOX (self), self->stack);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

/**
 * oh_hud_chat_view_new:
 * @client: the HUD's client
 *
 * Returns: (transfer floating): the chat view
 */
GtkWidget *
oh_hud_chat_view_new (OhHudClient *client)
{
  OhHudChatView *self = g_object_new (OH_TYPE_HUD_CHAT_VIEW, NULL);

  self->client = g_object_ref (client);
  self->filter = gtk_custom_filter_new (is_other, self, NULL);
  self->others = gtk_filter_list_model_new (g_object_ref (oh_hud_client_get_users (client)),
                                            GTK_FILTER (self->filter));
  gtk_list_box_bind_model (GTK_LIST_BOX (self->sidebar), G_LIST_MODEL (self->others),
                           create_peer_row, self, NULL);
  g_signal_connect_object (self->others, "items-changed", G_CALLBACK (on_peers_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (client, "notify::ready", G_CALLBACK (on_client_ready), self, 0);
  g_signal_connect_object (client, "notify::ready", G_CALLBACK (on_client_account), self, 0);
  on_client_ready (client, NULL, self);
  on_client_account (client, NULL, self);
  return GTK_WIDGET (self);
}

const char *
oh_hud_chat_view_get_peer (OhHudChatView *self)
{
  g_return_val_if_fail (OH_IS_HUD_CHAT_VIEW (self), NULL);
  return self->peer;
}

/**
 * oh_hud_chat_view_dump:
 * @builder: inside an object
 *
 * Adds "chat": the open conversation's messages and the unread badges.
 */
void
oh_hud_chat_view_dump (OhHudChatView *self,
                       JsonBuilder   *builder)
{
  GtkListBoxRow *row;

  json_builder_set_member_name (builder, "chat");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "peer");
  json_builder_add_string_value (builder, self->peer ? self->peer : "");
  json_builder_set_member_name (builder, "draft");
  json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  json_builder_set_member_name (builder, "unread");
  json_builder_begin_object (builder);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->sidebar), i)); i++)
    {
      OhDBusUser *user = g_object_get_data (G_OBJECT (row), "user");
      guint unread = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "unread"));

      if (unread == 0)
        continue;
      json_builder_set_member_name (builder, oh_dbus_user_get_extension (user));
      json_builder_add_int_value (builder, unread);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->messages), i)); i++)
    {
      GVariant *message = g_object_get_data (G_OBJECT (row), "message");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, lookup_string (message, "id"));
      json_builder_set_member_name (builder, "direction");
      json_builder_add_string_value (builder, lookup_string (message, "direction"));
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, lookup_string (message, "from"));
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, lookup_string (message, "body"));
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, lookup_string (message, "status"));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}
