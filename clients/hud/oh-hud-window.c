/* oh-hud-window.c: a HUD window
 *
 * The header bar switches between the views (users, calls, sessions,
 * history, chat) and always shows the connection state; a bar under it
 * says why when the daemon is not connected to the PBX. Instead of the
 * views the window shows the sign-in form while no account is set up (or
 * the PBX refused it), and a notice while the daemon cannot be reached.
 *
 * Every window has its own views over the application's one client, so
 * any number of windows show the same.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-calls-view.h"
#include "oh-hud-chat-view.h"
#include "oh-hud-format.h"
#include "oh-hud-history-view.h"
#include "oh-hud-login-view.h"
#include "oh-hud-sessions-view.h"
#include "oh-hud-users-view.h"
#include "oh-hud-util.h"
#include "oh-hud-window.h"

struct _OhHudWindow
{
  AdwApplicationWindow  parent_instance;

  OhHudClient          *client;

  GtkWidget            *toasts;
  GtkWidget            *status_button;
  GtkWidget            *status_dot;
  GtkWidget            *status_label;
  GtkWidget            *details;
  GtkWidget            *banner;
  GtkWidget            *banner_label;
  GtkWidget            *banner_button;
  GtkWidget            *pages;
  GtkWidget            *unavailable;
  GtkWidget            *login;
  GtkWidget            *views;
  GtkWidget            *switcher_title;

  GtkWidget            *users;
  GtkWidget            *calls;
  GtkWidget            *sessions;
  GtkWidget            *history;
  GtkWidget            *chat;

  char                 *shown_state;
};

G_DEFINE_FINAL_TYPE (OhHudWindow, oh_hud_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *
nonnull (const char *s)
{
  return s ? s : "";
}

/* --- connection state ------------------------------------------------ */

static char *
format_clock (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return when ? g_date_time_format (when, "%H:%M:%S") : g_strdup ("");
}

static void
render_details (OhHudWindow   *self,
                OhDBusAccount *account)
{
  g_autofree char *text = NULL;
  const char *last_error = account ? oh_dbus_account_get_last_error (account) : NULL;

  if (account == NULL || oh_dbus_account_get_state (account) == NULL)
    text = g_strdup (_("The Offhook service is not running."));
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);
      const char *version = oh_dbus_account_get_pbx_version (account);

      g_string_append_printf (out, _("Server: %s"), nonnull (oh_dbus_account_get_server (account)));
      g_string_append_c (out, '\n');
      g_string_append_printf (out, _("User: %s"), nonnull (oh_dbus_account_get_username (account)));
      g_string_append_c (out, '\n');
      g_string_append_printf (out, _("Extension: %s"),
                              nonnull (oh_dbus_account_get_extension (account)));
      if (version && *version)
        {
          g_string_append_c (out, '\n');
          g_string_append_printf (out, _("Asterisk %s"), version);
        }
      if (last_error && *last_error)
        {
          g_string_append_c (out, '\n');
          g_string_append_printf (out, _("Last problem: %s"), last_error);
        }
      text = g_string_free (g_steal_pointer (&out), FALSE);
    }
  gtk_label_set_text (GTK_LABEL (self->details), text);
}

static void
render_banner (OhHudWindow   *self,
               OhDBusAccount *account,
               const char    *state)
{
  const char *server = account ? nonnull (oh_dbus_account_get_server (account)) : "";
  const char *last_error = account ? nonnull (oh_dbus_account_get_last_error (account)) : "";
  gint64 retry = account ? oh_dbus_account_get_retry_time (account) : 0;
  g_autofree char *text = NULL;
  gboolean show = TRUE;

  gtk_widget_remove_css_class (self->banner, "error");
  gtk_widget_set_visible (self->banner_button, FALSE);
  if (g_strcmp0 (state, "connecting") == 0)
    text = g_strdup_printf (_("Connecting to %s…"), server);
  else if (g_strcmp0 (state, "failed") == 0)
    {
      g_autofree char *at = retry > 0 ? format_clock (retry) : NULL;

      if (at)
        /* TRANSLATORS: "No connection to the phone system: <why>. Trying again at 14:05:03." */
        text = g_strdup_printf (_("No connection to the phone system: %s. Trying again at %s."),
                                last_error, at);
      else
        text = g_strdup_printf (_("No connection to the phone system: %s."), last_error);
      gtk_widget_add_css_class (self->banner, "error");
      gtk_widget_set_visible (self->banner_button, TRUE);
    }
  else if (g_strcmp0 (state, "disconnected") == 0)
    {
      text = g_strdup (_("Not connected to the phone system."));
      gtk_widget_set_visible (self->banner_button, TRUE);
    }
  else
    show = FALSE;
  gtk_label_set_text (GTK_LABEL (self->banner_label), text ? text : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner), show);
}

static const char *
choose_page (OhHudWindow   *self,
             OhDBusAccount *account,
             const char    *state)
{
  const char *server = account ? oh_dbus_account_get_server (account) : NULL;

  if (!oh_hud_client_get_ready (self->client))
    return oh_hud_client_get_error (self->client) ? "unavailable" : "loading";
  if (!oh_hud_client_get_daemon_running (self->client) || state == NULL)
    return "unavailable";
  if (server == NULL || *server == '\0' || g_strcmp0 (state, "access-denied") == 0)
    return "login";
  return "main";
}

static void
render_connection (OhHudWindow *self)
{
  OhDBusAccount *account = oh_hud_client_get_account (self->client);
  const char *state = account && oh_hud_client_get_daemon_running (self->client)
                        ? oh_dbus_account_get_state (account)
                        : NULL;
  const char *page = choose_page (self, account, state);
  const char *error = oh_hud_client_get_error (self->client);
  const char *previous = gtk_stack_get_visible_child_name (GTK_STACK (self->pages));
  g_autofree char *tooltip = NULL;
  g_autofree char *error_markup = NULL;

  g_free (self->shown_state);
  self->shown_state = g_strdup (nonnull (state));
  gtk_label_set_text (GTK_LABEL (self->status_label), oh_hud_account_state_label (state));
  oh_hud_set_css_state (self->status_dot, "state-", state ? state : "none");
  tooltip = g_strdup_printf (_("Connection: %s"), oh_hud_account_state_label (state));
  oh_hud_set_tooltip_label (self->status_button, tooltip);
  render_details (self, account);
  render_banner (self, account, g_str_equal (page, "main") ? state : NULL);

  error_markup = error ? g_markup_escape_text (error, -1) : NULL;
  adw_status_page_set_description (ADW_STATUS_PAGE (self->unavailable),
                                   error_markup ? error_markup
                                                : _("Offhook HUD shows what the Offhook service "
                                             "knows. Start it with “systemctl --user start "
                                             "offhookd”; this window follows as soon as it runs."));
  gtk_stack_set_visible_child_name (GTK_STACK (self->pages), page);
  if (g_str_equal (page, "login") && g_strcmp0 (previous, "login") != 0)
    oh_hud_login_view_focus (OH_HUD_LOGIN_VIEW (self->login));
}

static void
on_account_changed (OhHudWindow *self)
{
  render_connection (self);
}

static void
on_retry_clicked (OhHudWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.connect", NULL);
}

/* --- badges ---------------------------------------------------------- */

static void
render_badges (OhHudWindow *self)
{
  AdwViewStack *views = ADW_VIEW_STACK (self->views);
  GListModel *calls = oh_hud_client_get_calls (self->client);
  OhDBusChat *chat = oh_hud_client_get_chat (self->client);
  OhDBusPhone *phone = oh_hud_client_get_phone (self->client);
  AdwViewStackPage *calls_page = adw_view_stack_get_page (views, self->calls);
  gboolean ringing = FALSE;
  guint n_calls = 0;

  /* Calls that go on; an ended one stays a moment for its reason only. */
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(OhDBusCall) call = g_list_model_get_item (calls, i);
      const char *state = oh_dbus_call_get_state (call);

      ringing |= g_strcmp0 (state, "ringing-in") == 0;
      n_calls += g_strcmp0 (state, "ended") != 0;
    }
  adw_view_stack_page_set_badge_number (calls_page, n_calls);
  adw_view_stack_page_set_needs_attention (calls_page, ringing);
  adw_view_stack_page_set_badge_number (adw_view_stack_get_page (views, self->chat),
                                        chat ? oh_dbus_chat_get_unread_total (chat) : 0);
  adw_view_stack_page_set_needs_attention (adw_view_stack_get_page (views, self->chat),
                                           chat && oh_dbus_chat_get_unread_total (chat) > 0);
  adw_view_stack_page_set_badge_number (adw_view_stack_get_page (views, self->history),
                                        phone ? oh_dbus_phone_get_missed_calls (phone) : 0);
}

static void
acknowledge_missed_calls (OhHudWindow *self)
{
  OhDBusPhone *phone = oh_hud_client_get_phone (self->client);

  /* The history on screen is the user seeing the missed calls. */
  if (phone && oh_dbus_phone_get_missed_calls (phone) > 0 &&
      g_strcmp0 (oh_hud_window_get_view (self), "history") == 0 &&
      gtk_widget_get_mapped (self->history) && gtk_window_is_active (GTK_WINDOW (self)))
    oh_dbus_phone_call_acknowledge_missed_calls (phone, NULL, oh_hud_on_call_done, NULL);
}

static void
on_badge_source_changed (OhHudWindow *self)
{
  render_badges (self);
  acknowledge_missed_calls (self);
}

static void
on_call_state (OhDBusCall  *call,
               GParamSpec  *pspec,
               OhHudWindow *self)
{
  render_badges (self);
}

static void
on_calls_changed (GListModel  *calls,
                  guint        position,
                  guint        removed,
                  guint        added,
                  OhHudWindow *self)
{
  gboolean ringing_added = FALSE;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(OhDBusCall) call = g_list_model_get_item (calls, i);

      g_signal_connect_object (call, "notify::state", G_CALLBACK (on_call_state), self, 0);
      ringing_added |= g_strcmp0 (oh_dbus_call_get_state (call), "ringing-in") == 0;
    }
  render_badges (self);
  /* A ringing call is what the user wants to see. */
  if (ringing_added && g_strcmp0 (oh_hud_window_get_page (self), "main") == 0)
    oh_hud_window_show_view (self, "calls");
}

/* --- start-up -------------------------------------------------------- */

static void
on_client_ready (OhHudClient *client,
                 GParamSpec  *pspec,
                 OhHudWindow *self)
{
  OhDBusAccount *account = oh_hud_client_get_account (client);
  OhDBusChat *chat = oh_hud_client_get_chat (client);
  OhDBusPhone *phone = oh_hud_client_get_phone (client);

  if (account && g_object_get_data (G_OBJECT (self), "account") != account)
    {
      g_object_set_data (G_OBJECT (self), "account", account);
      g_signal_connect_object (account, "notify", G_CALLBACK (on_account_changed), self,
                               G_CONNECT_SWAPPED);
    }
  if (chat && g_object_get_data (G_OBJECT (self), "chat") != chat)
    {
      g_object_set_data (G_OBJECT (self), "chat", chat);
      g_signal_connect_object (chat, "notify::unread-total", G_CALLBACK (on_badge_source_changed),
                               self, G_CONNECT_SWAPPED);
    }
  if (phone && g_object_get_data (G_OBJECT (self), "phone") != phone)
    {
      g_object_set_data (G_OBJECT (self), "phone", phone);
      g_signal_connect_object (phone, "notify::missed-calls",
                               G_CALLBACK (on_badge_source_changed), self, G_CONNECT_SWAPPED);
    }
  render_connection (self);
  render_badges (self);
}

static void
on_view_changed (OhHudWindow *self)
{
  const char *view = oh_hud_window_get_view (self);

  /* The history view queries again itself when it is shown stale. */
  if (g_strcmp0 (view, "history") == 0)
    acknowledge_missed_calls (self);
}

static GtkWidget *
add_view (OhHudWindow *self,
          GtkWidget   *view,
          const char  *name,
          const char  *title,
          const char  *icon_name)
{
  adw_view_stack_add_titled (ADW_VIEW_STACK (self->views), view, name, title);
  adw_view_stack_page_set_icon_name (adw_view_stack_get_page (ADW_VIEW_STACK (self->views), view),
                                     icon_name);
  adw_view_stack_page_set_use_underline (adw_view_stack_get_page (ADW_VIEW_STACK (self->views),
                                                                  view),
                                         TRUE);
  return view;
}

static GMenuModel *
primary_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) windows = g_menu_new ();
  g_autoptr(GMenu) account = g_menu_new ();
  g_autoptr(GMenu) style = g_menu_new ();
  g_autoptr(GMenu) app = g_menu_new ();

  g_menu_append (windows, _("_New Window"), "app.new-window");
  g_menu_append (account, _("_Connect"), "app.connect");
  g_menu_append (account, _("_Disconnect"), "app.disconnect");
  g_menu_append (account, _("_Sign Out"), "app.logout");
  g_menu_append (style, _("Follow _System Style"), "app.color-scheme::default");
  g_menu_append (style, _("_Light Style"), "app.color-scheme::light");
  g_menu_append (style, _("_Dark Style"), "app.color-scheme::dark");
  g_menu_append (app, _("_About Offhook HUD"), "app.about");
  g_menu_append (app, _("_Quit"), "app.quit");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (windows));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (account));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (style));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (app));
  return G_MENU_MODEL (menu);
}

static GtkWidget *
status_button_new (OhHudWindow *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *connect = gtk_button_new_with_mnemonic (_("_Connect"));
  GtkWidget *disconnect = gtk_button_new_with_mnemonic (_("_Disconnect"));

  self->status_dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->status_dot, "status-dot");
  gtk_widget_set_valign (self->status_dot, GTK_ALIGN_CENTER);
  self->status_label = gtk_label_new (NULL);
  gtk_box_append (GTK_BOX (box), self->status_dot);
  gtk_box_append (GTK_BOX (box), self->status_label);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "status-button");

  self->details = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->details), 0);
  gtk_label_set_wrap (GTK_LABEL (self->details), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->details), 40);
  gtk_label_set_selectable (GTK_LABEL (self->details), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (connect), "app.connect");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (disconnect), "app.disconnect");
  gtk_box_append (GTK_BOX (actions), connect);
  gtk_box_append (GTK_BOX (actions), disconnect);
  gtk_widget_set_halign (actions, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (content), self->details);
  gtk_box_append (GTK_BOX (content), actions);
  gtk_popover_set_child (GTK_POPOVER (popover), content);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  self->status_button = button;
  return button;
}

static void
oh_hud_window_dispose (GObject *object)
{
  OhHudWindow *self = OH_HUD_WINDOW (object);

  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_window_parent_class)->dispose (object);
}

static void
oh_hud_window_finalize (GObject *object)
{
  OhHudWindow *self = OH_HUD_WINDOW (object);

  g_free (self->shown_state);

  G_OBJECT_CLASS (oh_hud_window_parent_class)->finalize (object);
}

static void
oh_hud_window_class_init (OhHudWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_hud_window_dispose;
  object_class->finalize = oh_hud_window_finalize;
}

static void
oh_hud_window_init (OhHudWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Offhook"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1000, 720);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 400);
}

static void
build (OhHudWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *menu = gtk_menu_button_new ();
  GtkWidget *banner_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *switcher_bar = adw_view_switcher_bar_new ();
  GtkWidget *loading = adw_status_page_new ();
  g_autoptr(GMenuModel) menu_model = primary_menu ();

  /* Header */
  self->views = adw_view_stack_new ();
  self->switcher_title = adw_view_switcher_title_new ();
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (self->switcher_title),
                                     ADW_VIEW_STACK (self->views));
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (self->switcher_title),
                                     _("Offhook"));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), self->switcher_title);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "open-menu-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu), menu_model);
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (menu), TRUE);
  oh_hud_set_tooltip_label (menu, _("Main menu"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), status_button_new (self));
  gtk_box_append (GTK_BOX (box), header);

  /* Connection problems */
  self->banner_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->banner_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->banner_label), 0);
  gtk_widget_set_hexpand (self->banner_label, TRUE);
  self->banner_button = gtk_button_new_with_mnemonic (_("_Connect"));
  gtk_widget_set_valign (self->banner_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->banner_button, "clicked", G_CALLBACK (on_retry_clicked), self);
  gtk_box_append (GTK_BOX (banner_box), gtk_image_new_from_icon_name ("network-offline-symbolic"));
  gtk_box_append (GTK_BOX (banner_box), self->banner_label);
  gtk_box_append (GTK_BOX (banner_box), self->banner_button);
  gtk_widget_add_css_class (banner_box, "connection-banner");
  self->banner = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (self->banner), banner_box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (banner_box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connection problem"), -1);
  gtk_box_append (GTK_BOX (box), self->banner);

  /* Views */
  self->users = add_view (self, oh_hud_users_view_new (self->client), "users", _("_Users"),
                          "system-users-symbolic");
  self->calls = add_view (self, oh_hud_calls_view_new (self->client), "calls", _("C_alls"),
                          "call-start-symbolic");
  self->sessions = add_view (self, oh_hud_sessions_view_new (self->client), "sessions",
                             _("_Sessions"), "network-workgroup-symbolic");
  self->history = add_view (self, oh_hud_history_view_new (self->client), "history",
                            _("_History"), "document-open-recent-symbolic");
  self->chat = add_view (self, oh_hud_chat_view_new (self->client), "chat", _("C_hat"),
                         "chat-message-new-symbolic");
  g_signal_connect_swapped (self->views, "notify::visible-child", G_CALLBACK (on_view_changed),
                            self);

  /* Pages */
  self->pages = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->pages), GTK_STACK_TRANSITION_TYPE_NONE);
  adw_status_page_set_title (ADW_STATUS_PAGE (loading), _("Connecting to the Offhook Service…"));
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (loading), "network-workgroup-symbolic");
  self->unavailable = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->unavailable), "network-offline-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->unavailable),
                             _("The Offhook Service Is Not Running"));
  self->login = oh_hud_login_view_new (self->client);
  gtk_stack_add_named (GTK_STACK (self->pages), loading, "loading");
  gtk_stack_add_named (GTK_STACK (self->pages), self->unavailable, "unavailable");
  gtk_stack_add_named (GTK_STACK (self->pages), self->login, "login");
  gtk_stack_add_named (GTK_STACK (self->pages), self->views, "main");
  gtk_widget_set_vexpand (self->pages, TRUE);
  gtk_box_append (GTK_BOX (box), self->pages);

  adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (switcher_bar),
                                   ADW_VIEW_STACK (self->views));
  g_object_bind_property (self->switcher_title, "title-visible", switcher_bar, "reveal",
                          G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), switcher_bar);

  self->toasts = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (self->toasts), box);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), self->toasts);
}

/**
 * oh_hud_window_new:
 * @application: the HUD
 * @client: its client
 *
 * Returns: (transfer full): a new window
 */
OhHudWindow *
oh_hud_window_new (GtkApplication *application,
                   OhHudClient    *client)
{
  OhHudWindow *self = g_object_new (OH_TYPE_HUD_WINDOW, "application", application, NULL);
  GListModel *calls = oh_hud_client_get_calls (client);

  self->client = g_object_ref (client);
  build (self);
  g_signal_connect_object (client, "notify::ready", G_CALLBACK (on_client_ready), self, 0);
  g_signal_connect_object (client, "notify::daemon-running", G_CALLBACK (on_client_ready), self,
                           0);
  g_signal_connect_object (calls, "items-changed", G_CALLBACK (on_calls_changed), self, 0);
  g_signal_connect_object (self, "notify::is-active", G_CALLBACK (acknowledge_missed_calls), self,
                           G_CONNECT_SWAPPED);
  on_calls_changed (calls, 0, 0, g_list_model_get_n_items (calls), self);
  on_client_ready (client, NULL, self);
  return self;
}

/**
 * oh_hud_window_show_view:
 * @name: "users", "calls", "sessions", "history" or "chat"
 *
 * Returns: %FALSE for an unknown view
 */
gboolean
oh_hud_window_show_view (OhHudWindow *self,
                         const char  *name)
{
  g_return_val_if_fail (OH_IS_HUD_WINDOW (self), FALSE);
  if (adw_view_stack_get_child_by_name (ADW_VIEW_STACK (self->views), name) == NULL)
    return FALSE;
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (self->views), name);
  if (g_str_equal (name, "calls"))
    oh_hud_calls_view_focus (OH_HUD_CALLS_VIEW (self->calls));
  return TRUE;
}

/**
 * oh_hud_window_get_view:
 *
 * Returns: (nullable): the name of the view shown
 */
const char *
oh_hud_window_get_view (OhHudWindow *self)
{
  g_return_val_if_fail (OH_IS_HUD_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (self->views));
}

/**
 * oh_hud_window_get_page:
 *
 * Returns: "loading", "unavailable", "login" or "main"
 */
const char *
oh_hud_window_get_page (OhHudWindow *self)
{
  g_return_val_if_fail (OH_IS_HUD_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->pages));
}

/**
 * oh_hud_window_open_chat:
 * @peer: an extension or a user's name
 *
 * Shows the chat view with the conversation with @peer.
 *
 * Returns: %FALSE when @peer is no user
 */
gboolean
oh_hud_window_open_chat (OhHudWindow *self,
                         const char  *peer)
{
  g_return_val_if_fail (OH_IS_HUD_WINDOW (self), FALSE);
  if (!oh_hud_chat_view_open (OH_HUD_CHAT_VIEW (self->chat), peer))
    return FALSE;
  oh_hud_window_show_view (self, "chat");
  return TRUE;
}

/**
 * oh_hud_window_set_number:
 * @number: a number
 *
 * Shows the dial pad with @number typed in.
 */
void
oh_hud_window_set_number (OhHudWindow *self,
                          const char  *number)
{
  g_return_if_fail (OH_IS_HUD_WINDOW (self));
  oh_hud_window_show_view (self, "calls");
  oh_hud_calls_view_set_number (OH_HUD_CALLS_VIEW (self->calls), number);
}

/**
 * oh_hud_window_set_history_filter:
 * @filter: see oh_hud_history_view_set_filter()
 *
 * Shows the history, filtered.
 *
 * Returns: %FALSE with @error set for a bad filter
 */
gboolean
oh_hud_window_set_history_filter (OhHudWindow *self,
                                  GVariant    *filter,
                                  GError     **error)
{
  g_return_val_if_fail (OH_IS_HUD_WINDOW (self), FALSE);
  if (!oh_hud_history_view_set_filter (OH_HUD_HISTORY_VIEW (self->history), filter, error))
    return FALSE;
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (self->views), "history");
  return TRUE;
}

void
oh_hud_window_set_user_search (OhHudWindow *self,
                               const char  *text)
{
  g_return_if_fail (OH_IS_HUD_WINDOW (self));
  oh_hud_window_show_view (self, "users");
  oh_hud_users_view_set_search (OH_HUD_USERS_VIEW (self->users), text);
}

void
oh_hud_window_focus_search (OhHudWindow *self)
{
  g_return_if_fail (OH_IS_HUD_WINDOW (self));
  oh_hud_window_show_view (self, "users");
  oh_hud_users_view_focus_search (OH_HUD_USERS_VIEW (self->users));
}

/**
 * oh_hud_window_toast:
 * @message: for a person
 *
 * Shows @message for a few seconds.
 */
void
oh_hud_window_toast (OhHudWindow *self,
                     const char  *message)
{
  AdwToast *toast;
  g_autofree char *markup = NULL;

  g_return_if_fail (OH_IS_HUD_WINDOW (self));
  /* A toast's title is markup; messages are text. */
  markup = g_markup_escape_text (message, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toasts), toast);
}

static void
dump_badge (JsonBuilder *builder,
            AdwViewStack *views,
            GtkWidget   *view,
            const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder,
                              adw_view_stack_page_get_badge_number (
                                adw_view_stack_get_page (views, view)));
}

/**
 * oh_hud_window_dump:
 * @builder: inside an object
 *
 * Adds what the window shows: the page and view, the connection state,
 * the badges, and every view's content.
 */
void
oh_hud_window_dump (OhHudWindow *self,
                    JsonBuilder *builder)
{
  AdwViewStack *views = ADW_VIEW_STACK (self->views);

  json_builder_set_member_name (builder, "page");
  json_builder_add_string_value (builder, nonnull (oh_hud_window_get_page (self)));
  json_builder_set_member_name (builder, "view");
  json_builder_add_string_value (builder, nonnull (oh_hud_window_get_view (self)));
  json_builder_set_member_name (builder, "connection");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, nonnull (self->shown_state));
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (self->status_label)));
  json_builder_set_member_name (builder, "details");
  json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (self->details)));
  json_builder_set_member_name (builder, "banner");
  json_builder_add_string_value (builder,
                                 gtk_revealer_get_reveal_child (GTK_REVEALER (self->banner))
                                   ? gtk_label_get_text (GTK_LABEL (self->banner_label))
                                   : "");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "badges");
  json_builder_begin_object (builder);
  dump_badge (builder, views, self->calls, "calls");
  dump_badge (builder, views, self->chat, "chat");
  dump_badge (builder, views, self->history, "history");
  json_builder_end_object (builder);
  oh_hud_users_view_dump (OH_HUD_USERS_VIEW (self->users), builder);
  oh_hud_calls_view_dump (OH_HUD_CALLS_VIEW (self->calls), builder);
  oh_hud_sessions_view_dump (OH_HUD_SESSIONS_VIEW (self->sessions), builder);
  oh_hud_history_view_dump (OH_HUD_HISTORY_VIEW (self->history), builder);
  oh_hud_chat_view_dump (OH_HUD_CHAT_VIEW (self->chat), builder);
  oh_hud_login_view_dump (OH_HUD_LOGIN_VIEW (self->login), builder);
}
